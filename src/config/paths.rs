//! Where logdex keeps its files: the config and the database, from flags, environment
//! (`LOGDEX_CONFIG`, `LOGDEX_DB`) or the XDG directories, in that order.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

/// Resolved locations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub config: PathBuf,
    /// True when the config path was given explicitly (so it must exist).
    pub config_explicit: bool,
    pub db: PathBuf,
}

impl Paths {
    /// `flag_*` come from the command line (clap also reads the environment variables into them).
    pub fn resolve(
        flag_config: Option<&Path>,
        flag_db: Option<&Path>,
        config_db: Option<&Path>,
    ) -> Paths {
        let dirs = ProjectDirs::from("", "", "logdex");
        let config = flag_config.map(Path::to_path_buf).unwrap_or_else(|| {
            dirs.as_ref()
                .map(|d| d.config_dir().join("config.toml"))
                .unwrap_or_else(|| PathBuf::from("logdex.toml"))
        });
        let db = flag_db
            .or(config_db)
            .map(Path::to_path_buf)
            .unwrap_or_else(|| default_db(dirs.as_ref()));
        Paths {
            config,
            config_explicit: flag_config.is_some(),
            db,
        }
    }
}

fn default_db(dirs: Option<&ProjectDirs>) -> PathBuf {
    dirs.map(|d| d.data_dir().join("logdex.db"))
        .unwrap_or_else(|| PathBuf::from("logdex.db"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_config_and_defaults() {
        let p = Paths::resolve(
            Some(Path::new("/c.toml")),
            Some(Path::new("/a.db")),
            Some(Path::new("/b.db")),
        );
        assert_eq!(p.db, PathBuf::from("/a.db"));
        assert!(p.config_explicit);
        let p = Paths::resolve(None, None, Some(Path::new("/b.db")));
        assert_eq!(p.db, PathBuf::from("/b.db"));
        assert!(!p.config_explicit);
        let p = Paths::resolve(None, None, None);
        assert!(p.db.ends_with("logdex.db"));
    }
}
