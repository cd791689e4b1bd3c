//! Live progress of a stack operation: one line per resource event with the elapsed time, and on
//! a terminal a spinner line below them (indicatif) with the count and the latest status. Piped
//! output, `NO_COLOR` and `TERM=dumb` get the plain lines only.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ml_provisioner_core::stack::{self, StackEvent};

use super::aws::Session;

#[derive(Debug)]
pub(super) struct Progress {
    bar: Option<ProgressBar>,
    start: Instant,
    events: usize,
}

impl Progress {
    pub fn new(interactive: bool, what: &str) -> Progress {
        let bar = interactive.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}") {
                bar.set_style(style);
            }
            bar.set_message(what.to_owned());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            start: Instant::now(),
            events: 0,
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    /// One event: a line (above the spinner on a terminal) and in the log.
    pub fn event(&mut self, session: &mut Session<'_, '_>, event: &StackEvent) {
        self.events += 1;
        let line = format!(
            "[{:>5}] {}",
            format_elapsed(self.start.elapsed()),
            stack::event_line(event)
        );
        session.log.line(&line);
        match &self.bar {
            Some(bar) => {
                bar.println(&line);
                bar.set_message(format!(
                    "{} events; {} {}",
                    self.events, event.logical_id, event.status
                ));
            }
            None => {
                let _ = writeln!(session.io.err, "{line}");
            }
        }
    }

    pub fn events(&self) -> usize {
        self.events
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `42s`, `3m05s`.
pub(super) fn format_elapsed(elapsed: Duration) -> String {
    let s = elapsed.as_secs();
    if s < 60 {
        format!("{s}s")
    } else {
        format!("{}m{:02}s", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elapsed_is_short() {
        assert_eq!(format_elapsed(Duration::from_secs(42)), "42s");
        assert_eq!(format_elapsed(Duration::from_secs(185)), "3m05s");
    }
}
