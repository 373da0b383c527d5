//! Turns what the user named (files, directories, globs) into the list of files to index, and
//! names the job of a file from its name.

use std::path::{Path, PathBuf};

/// A file to index and what its config says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSpec {
    pub path: PathBuf,
    pub job: Option<String>,
    pub format: Option<String>,
}

/// Something named that could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Expands one name. Directories give their regular, non-hidden files (recursively when asked);
/// globs give their matches. Missing names are reported, not fatal.
pub fn expand(name: &str, recursive: bool, out: &mut Vec<PathBuf>, skipped: &mut Vec<Skipped>) {
    let path = Path::new(name);
    if !path.exists() && has_glob(name) {
        match glob::glob(name) {
            Ok(paths) => {
                let mut n = 0;
                for p in paths.flatten() {
                    if p.is_file() {
                        out.push(p);
                        n += 1;
                    } else if p.is_dir() {
                        walk(&p, recursive, out);
                        n += 1;
                    }
                }
                if n == 0 {
                    skipped.push(Skipped {
                        path: name.into(),
                        reason: "no file matches this pattern".into(),
                    });
                }
            }
            Err(e) => skipped.push(Skipped {
                path: name.into(),
                reason: format!("bad pattern: {e}"),
            }),
        }
        return;
    }
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => walk(path, recursive, out),
        Ok(_) => out.push(path.to_path_buf()),
        Err(e) => skipped.push(Skipped {
            path: name.into(),
            reason: match e.kind() {
                std::io::ErrorKind::NotFound => "no such file or directory".into(),
                std::io::ErrorKind::PermissionDenied => "permission denied".into(),
                _ => e.to_string(),
            },
        }),
    }
}

fn walk(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) {
    let depth = if recursive { usize::MAX } else { 1 };
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .max_depth(depth)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    found.sort();
    out.extend(found);
}

/// The job a file belongs to by its name: without directory, compression suffix, rotation
/// suffix and extension (`backup.log`, `backup.log.1`, `backup.log.2.gz`,
/// `backup.log-20261102` → `backup`).
pub fn job_from_path(path: &Path) -> String {
    static SUFFIX: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?x)
            ( \.(gz|bz2|xz|zst)                       # compression
            | [._-]\d{4}-?\d{2}-?\d{2}([_T-]?\d{2}:?\d{2}(:?\d{2})?)?   # date rotation
            | \.\d{1,3}                                # numbered rotation
            | \.(log|txt|out|err|json|jsonl|ndjson)     # extension
            )$",
        )
        .expect("static pattern")
    });
    let mut name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    while let Some(m) = SUFFIX.find(&name) {
        if m.start() == 0 {
            break;
        }
        name.truncate(m.start());
    }
    if name.is_empty() || name.starts_with('.') && SUFFIX.is_match(&name) {
        "unknown".into()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_names_drop_extensions_and_rotation() {
        for (file, job) in [
            ("/var/log/backup.log", "backup"),
            ("backup.log.1", "backup"),
            ("backup.log.2.gz", "backup"),
            ("backup.log-20261102", "backup"),
            ("backup.log-20261102.gz", "backup"),
            ("etl-orders.2026-11-02.log", "etl-orders"),
            ("report-daily.txt", "report-daily"),
            ("nova-api", "nova-api"),
            ("HDFS.log", "HDFS"),
            ("v2.log", "v2"),
            ("nightly.2.log", "nightly"),
            ("sync_2026-11-02T01:00:00.log", "sync"),
            ("app.json", "app"),
            (".log", "unknown"),
        ] {
            assert_eq!(job_from_path(Path::new(file)), job, "{file}");
        }
    }

    #[test]
    fn expands_dirs_globs_and_reports_missing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.log"), "x\n").unwrap();
        std::fs::write(dir.path().join("b.log"), "x\n").unwrap();
        std::fs::write(dir.path().join(".hidden"), "x\n").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/c.log"), "x\n").unwrap();
        let (mut out, mut skipped) = (Vec::new(), Vec::new());
        expand(dir.path().to_str().unwrap(), false, &mut out, &mut skipped);
        assert_eq!(out.len(), 2);
        out.clear();
        expand(dir.path().to_str().unwrap(), true, &mut out, &mut skipped);
        assert_eq!(out.len(), 3);
        out.clear();
        expand(
            &format!("{}/*.log", dir.path().display()),
            false,
            &mut out,
            &mut skipped,
        );
        assert_eq!(out.len(), 2);
        expand("/definitely/not/here.log", false, &mut out, &mut skipped);
        expand("/definitely/not/*.log", false, &mut out, &mut skipped);
        assert_eq!(skipped.len(), 2);
        assert_eq!(skipped[0].reason, "no such file or directory");
        assert_eq!(skipped[1].reason, "no file matches this pattern");
    }
}
