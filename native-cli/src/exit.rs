//! The documented exit codes (README "Exit codes"). Few and distinct, so scripts can branch.

/// The process exit status of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// The action did what was asked (warnings may have been printed).
    Ok = 0,
    /// The config (or template) has errors; nothing was written but the run log.
    Invalid = 1,
    /// The command line is wrong, or the config file cannot be found.
    Usage = 2,
    /// An AWS call failed, or the stack the action needs does not exist.
    Aws = 3,
    /// The Marketplace subscription is missing or lapsed, or this image may not provision the tier.
    Subscription = 4,
    /// Differences found: `check-drift` found drift; `show-changes` found that a deploy would
    /// change the stack.
    Drift = 5,
    /// A working folder or file could not be read or written.
    Io = 6,
    /// Something inside the tool failed (a generator, the bundled template validator): not the
    /// user's input. Please report it.
    Internal = 8,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The worse of two results, for a run over many configs: an internal failure, then an I/O
    /// failure, a usage problem (a missing template), an invalid file, success.
    pub fn worse(self, other: Exit) -> Exit {
        let rank = |e: Exit| match e {
            Exit::Ok => 0,
            Exit::Invalid => 1,
            Exit::Drift => 2,
            Exit::Usage => 3,
            Exit::Aws => 5,
            Exit::Subscription => 6,
            Exit::Io => 7,
            Exit::Internal => 8,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}
