//! The working folders (`$ML_PROVISIONER_HOME`, else `./ml`), config lookup, bounded reads,
//! atomic writes and the per-run log. All file-system access of the CLI lives here.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use ml_provisioner_core::files;
use ml_provisioner_core::suggest::did_you_mean;
use ml_provisioner_core::yaml::MAX_INPUT_BYTES;

/// The outside world a run sees: injected so tests control it.
#[derive(Clone, Debug)]
pub struct Env {
    /// Value of `ML_PROVISIONER_HOME`, if set.
    pub home: Option<PathBuf>,
    /// The current directory (relative paths resolve against it).
    pub cwd: PathBuf,
    pub now: SystemTime,
    /// `SOURCE_DATE_EPOCH` (reproducible builds), if set: the time reports show instead of `now`.
    pub source_date_epoch: Option<String>,
    /// What the build carries (product code, tier limit).
    pub build: crate::build::Build,
    /// Randomness for the test-deploy suffix (the core takes it as an argument).
    pub seed: u64,
    /// Whether stderr is a terminal that may show a live progress bar (not with `NO_COLOR` or
    /// `TERM=dumb`).
    pub interactive: bool,
}

impl Env {
    /// The real environment of this process.
    pub fn from_process() -> io::Result<Env> {
        Ok(Env {
            home: std::env::var_os("ML_PROVISIONER_HOME")
                .filter(|h| !h.is_empty())
                .map(PathBuf::from),
            cwd: std::env::current_dir()?,
            now: SystemTime::now(),
            source_date_epoch: std::env::var("SOURCE_DATE_EPOCH")
                .ok()
                .filter(|v| !v.is_empty()),
            build: crate::build::Build::current(|k| std::env::var(k).ok()),
            seed: process_seed(),
            interactive: io::IsTerminal::is_terminal(&io::stderr())
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb"),
        })
    }
}

/// A seed that differs between runs: the standard library's per-process random hash keys, mixed
/// with the time and the process id.
fn process_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    hasher.write_u32(std::process::id());
    hasher.finish()
}

/// The working folders.
#[derive(Clone, Debug)]
pub struct Workspace {
    pub root: PathBuf,
}

impl Workspace {
    pub fn new(env: &Env) -> Workspace {
        let root = match &env.home {
            Some(home) => env.cwd.join(home),
            None => env.cwd.join("ml"),
        };
        Workspace { root }
    }

    pub fn configs(&self) -> PathBuf {
        self.root.join("configs")
    }

    pub fn policies(&self) -> PathBuf {
        self.root.join("policies")
    }

    pub fn templates(&self) -> PathBuf {
        self.root.join("templates")
    }

    pub fn reports(&self) -> PathBuf {
        self.root.join("reports")
    }
}

/// Why a config could not be found or read.
#[derive(Debug)]
pub enum ConfigError {
    NotFound { message: String, hint: String },
    Io { path: PathBuf, error: io::Error },
}

/// A config file found and read (at most `MAX_INPUT_BYTES + 1` bytes are read).
#[derive(Debug)]
pub struct ConfigFile {
    pub path: PathBuf,
    /// The path as shown in diagnostics (as the user gave it, or below the working folder).
    pub display: String,
    pub file_name: String,
    pub stem: String,
    pub bytes: Vec<u8>,
    /// The file's size when it is over the limit (then `bytes` holds only its start).
    pub oversize: Option<u64>,
}

/// Finds `name` in the configs folder (with or without `.yaml`), else as a path.
pub fn find_config(ws: &Workspace, env: &Env, name: &str) -> Result<PathBuf, ConfigError> {
    let looks_like_path = name.contains('/') || name.contains(std::path::MAIN_SEPARATOR);
    let mut candidates = Vec::new();
    if !looks_like_path {
        candidates.push(ws.configs().join(name));
        if !files::is_config_file_name(name) {
            candidates.push(ws.configs().join(format!("{name}.yaml")));
        }
    }
    candidates.push(env.cwd.join(name));
    if let Some(found) = candidates.into_iter().find(|p| p.is_file()) {
        return Ok(found);
    }
    let known = list_configs(&ws.configs());
    let hint = match did_you_mean(name, known.iter().map(String::as_str)) {
        Some(best) => format!("did you mean '{best}'?"),
        None if known.is_empty() => format!(
            "put the config in {} (copy one from examples/configs/) or pass a path",
            ws.configs().display()
        ),
        None => format!("configs available: {}", known.join(", ")),
    };
    Err(ConfigError::NotFound {
        message: format!(
            "config '{name}' not found in {} nor as a path",
            ws.configs().display()
        ),
        hint,
    })
}

fn list_configs(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| files::is_config_file_name(n))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Reads a config, never more than one byte past the size limit (the core reports the size).
pub fn read_config(path: &Path, env: &Env) -> Result<ConfigFile, ConfigError> {
    let io_error = |error| ConfigError::Io {
        path: path.to_owned(),
        error,
    };
    let (bytes, oversize) = read_bounded(path, MAX_INPUT_BYTES).map_err(io_error)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = files::config_stem(&file_name).to_owned();
    let display = path
        .strip_prefix(&env.cwd)
        .unwrap_or(path)
        .display()
        .to_string();
    Ok(ConfigFile {
        path: path.to_owned(),
        display,
        file_name,
        stem,
        bytes,
        oversize,
    })
}

/// Reads at most `limit + 1` bytes of a file; when it is larger, also returns its size (the
/// bytes then hold only its start).
pub fn read_bounded(path: &Path, limit: usize) -> io::Result<(Vec<u8>, Option<u64>)> {
    let file = fs::File::open(path)?;
    let declared = file.metadata()?.len();
    let mut bytes = Vec::with_capacity(usize::try_from(declared).unwrap_or(0).min(limit + 1));
    file.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    let oversize = (bytes.len() > limit).then(|| declared.max(bytes.len() as u64));
    Ok((bytes, oversize))
}

/// Writes `contents` to `path` atomically: a temporary file in the same folder, then a rename.
/// A failed write leaves no partial file behind.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// `YYYYMMDDTHHMMSSZ` in UTC.
pub fn utc_stamp(now: SystemTime) -> String {
    let (y, mo, d, h, mi, s) = utc_parts(now);
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

/// `YYYY-MM-DDTHH:MM:SSZ` in UTC.
pub fn utc_iso(now: SystemTime) -> String {
    let (y, mo, d, h, mi, s) = utc_parts(now);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

fn utc_parts(now: SystemTime) -> (i64, u32, u32, u64, u64, u64) {
    let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// The run log: `reports/{stem}-{action}-{UTC timestamp}.log`, written once at the end.
#[derive(Debug)]
pub struct RunLog {
    path: PathBuf,
    text: String,
}

impl RunLog {
    pub fn new(ws: &Workspace, stem: &str, action: &str, now: SystemTime) -> RunLog {
        let path = ws
            .reports()
            .join(format!("{stem}-{action}-{}.log", utc_stamp(now)));
        let text = format!(
            "ml-provisioner {} | action {action} | started {}\n",
            ml_provisioner_core::VERSION,
            utc_iso(now)
        );
        RunLog { path, text }
    }

    pub fn line(&mut self, line: &str) {
        self.text.push_str(line);
        if !line.ends_with('\n') {
            self.text.push('\n');
        }
    }

    /// Writes the log, never overwriting an earlier run's log from the same second.
    pub fn finish(mut self, exit: u8) -> io::Result<PathBuf> {
        self.text.push_str(&format!("exit code {exit}\n"));
        let mut path = self.path.clone();
        let mut n = 2;
        while path.exists() {
            let stem = self
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            path = self.path.with_file_name(format!("{stem}-{n}.log"));
            n += 1;
        }
        write_atomic(&path, self.text.as_bytes())?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn formats_utc_timestamps() {
        let t = UNIX_EPOCH + Duration::from_secs(1_795_854_000); // 2026-11-28T08:20:00Z
        assert_eq!(utc_iso(t), "2026-11-28T08:20:00Z");
        assert_eq!(
            utc_stamp(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "20000229T000000Z"
        );
    }
}
