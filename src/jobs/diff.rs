//! What importing a set of definitions changes against the stored ones: jobs added, updated
//! (with the fields that differ), unchanged, and — when the file is the whole truth — removed.

use std::collections::HashMap;

use super::JobDef;

/// A job whose stored definition differs from the file's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub job: JobDef,
    pub fields: Vec<&'static str>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<JobDef>,
    pub updated: Vec<Update>,
    pub unchanged: Vec<String>,
    /// Ids defined now but absent from the file (only when pruning).
    pub removed: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.updated.is_empty() && self.removed.is_empty()
    }
}

/// The fields of `new` that differ from `old`, in export order.
pub fn changed_fields(old: &JobDef, new: &JobDef) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut check = |differs: bool, name: &'static str| {
        if differs {
            out.push(name);
        }
    };
    check(old.name != new.name, "name");
    check(old.description != new.description, "description");
    check(old.schedule != new.schedule, "schedule");
    check(old.command != new.command, "command");
    check(old.enabled != new.enabled, "enabled");
    check(old.log_path != new.log_path, "log_path");
    check(old.tags != new.tags, "tags");
    out
}

/// Compares the stored definitions with a file's. Each list is sorted by id.
pub fn diff(stored: &[JobDef], file: &[JobDef], prune: bool) -> Changes {
    let by_id: HashMap<&str, &JobDef> = stored.iter().map(|j| (j.id.as_str(), j)).collect();
    let mut changes = Changes::default();
    let mut file: Vec<&JobDef> = file.iter().collect();
    file.sort_by(|a, b| a.id.cmp(&b.id));
    for job in &file {
        match by_id.get(job.id.as_str()) {
            None => changes.added.push((*job).clone()),
            Some(old) => {
                let fields = changed_fields(old, job);
                if fields.is_empty() {
                    changes.unchanged.push(job.id.clone());
                } else {
                    changes.updated.push(Update {
                        job: (*job).clone(),
                        fields,
                    });
                }
            }
        }
    }
    if prune {
        let kept: std::collections::HashSet<&str> = file.iter().map(|j| j.id.as_str()).collect();
        changes.removed = stored
            .iter()
            .filter(|j| !kept.contains(j.id.as_str()))
            .map(|j| j.id.clone())
            .collect();
        changes.removed.sort();
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(id: &str, schedule: &str) -> JobDef {
        JobDef {
            id: id.into(),
            name: None,
            description: None,
            schedule: schedule.into(),
            command: "run".into(),
            enabled: true,
            log_path: None,
            tags: vec![],
        }
    }

    #[test]
    fn adds_updates_keeps_and_prunes() {
        let stored = vec![job("a", "@daily"), job("b", "@daily"), job("c", "@daily")];
        let mut b = job("b", "@hourly");
        b.enabled = false;
        let file = vec![job("d", "@daily"), b.clone(), job("a", "@daily")];
        let c = diff(&stored, &file, false);
        assert_eq!(c.added, vec![job("d", "@daily")]);
        assert_eq!(
            c.updated,
            vec![Update {
                job: b,
                fields: vec!["schedule", "enabled"]
            }]
        );
        assert_eq!(c.unchanged, vec!["a".to_string()]);
        assert!(c.removed.is_empty());
        assert_eq!(diff(&stored, &file, true).removed, vec!["c".to_string()]);
        assert!(diff(&stored, &stored, true).is_empty());
    }
}
