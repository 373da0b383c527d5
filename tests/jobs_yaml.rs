//! Jobs files: a realistic 50-job file survives export → import → export byte for byte in both
//! formats; every form the importer accepts reads the same; every kind of mistake is reported
//! with its exact line and column (snapshots); and no input, however broken, makes it panic.

use std::path::PathBuf;

use logdex::jobs::{ExportFormat, JobDef, parse, to_yaml};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/jobs")
        .join(name)
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn jobs(name: &str) -> Vec<JobDef> {
    parse(&read(name)).unwrap_or_else(|p| panic!("{}", p.render(name)))
}

/// The rendered problems of a file that must not import.
fn problems(name: &str) -> String {
    match parse(&read(name)) {
        Ok(jobs) => panic!("{name} parsed into {} jobs", jobs.len()),
        Err(p) => p.render(name),
    }
}

#[test]
fn a_realistic_file_round_trips_byte_for_byte() {
    let original = jobs("realistic.yaml");
    assert_eq!(original.len(), 50);
    // Every field is used somewhere, and both values of `enabled`.
    assert!(original.iter().any(|j| j.name.is_some()));
    assert!(original.iter().any(|j| j.description.is_some()));
    assert!(original.iter().any(|j| j.log_path.is_some()));
    assert!(original.iter().any(|j| !j.tags.is_empty()));
    assert!(original.iter().any(|j| !j.enabled) && original.iter().any(|j| j.enabled));
    assert!(original.iter().any(|j| j.command.contains('\n')));
    for format in [ExportFormat::Yaml, ExportFormat::Json] {
        let first = format.render(&original).unwrap();
        let back = parse(first.as_bytes()).unwrap_or_else(|p| panic!("{}", p.render("export")));
        let mut sorted = original.clone();
        sorted.sort_by(|a, b| a.id.cmp(&b.id));
        assert_eq!(back, sorted, "{format:?}");
        let second = format.render(&back).unwrap();
        assert_eq!(first, second, "{format:?}");
    }
}

#[test]
fn merge_keys_and_folded_text_are_read_as_yaml_means_them() {
    let all = jobs("realistic.yaml");
    let find = |id: &str| all.iter().find(|j| j.id == id).unwrap();
    assert_eq!(find("email-bounces").tags, vec!["mail".to_string()]);
    assert_eq!(
        find("backup-prune").description.as_deref(),
        Some(
            "Applies the retention policy to the restic repository: 7 daily, 5 weekly and 12 monthly snapshots are kept.\n"
        )
    );
    assert!(!find("etl-backfill").enabled);
}

#[test]
fn a_list_and_both_mappings_by_id_read_the_same() {
    let list = jobs("small_list.yaml");
    let mut by_id = jobs("small_by_id.yaml");
    let mut top = jobs("small_top_level.yaml");
    by_id.sort_by(|a, b| a.id.cmp(&b.id));
    top.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(list, by_id);
    assert_eq!(list, top);
    assert!(!list[1].enabled);
    assert!(list[0].enabled);
}

#[test]
fn the_shipped_example_reads_and_is_canonical_once_exported() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/jobs.example.yaml");
    let bytes = std::fs::read(path).unwrap();
    let example = parse(&bytes).unwrap_or_else(|p| panic!("{}", p.render("jobs.example.yaml")));
    assert!(example.len() >= 3);
    let text = to_yaml(&example).unwrap();
    assert_eq!(to_yaml(&parse(text.as_bytes()).unwrap()).unwrap(), text);
}

#[test]
fn syntax_errors() {
    insta::assert_snapshot!(problems("bad/syntax.yaml"));
}

#[test]
fn bad_cron_expressions() {
    insta::assert_snapshot!(problems("bad/bad_cron.yaml"));
}

#[test]
fn duplicate_ids() {
    insta::assert_snapshot!(problems("bad/duplicate_id.yaml"));
}

#[test]
fn missing_required_fields() {
    insta::assert_snapshot!(problems("bad/missing_fields.yaml"));
}

#[test]
fn unknown_fields() {
    insta::assert_snapshot!(problems("bad/unknown_fields.yaml"));
}

#[test]
fn wrong_types() {
    insta::assert_snapshot!(problems("bad/wrong_types.yaml"));
}

#[test]
fn bad_values() {
    insta::assert_snapshot!(problems("bad/bad_values.yaml"));
}

#[test]
fn repeated_fields() {
    insta::assert_snapshot!(problems("bad/duplicate_field.yaml"));
}

#[test]
fn mapping_by_id_problems() {
    insta::assert_snapshot!(problems("bad/by_id.yaml"));
}

#[test]
fn wrong_shapes() {
    let all = ["bad/shapes.yaml", "bad/list_top.yaml", "bad/empty.yaml"]
        .map(problems)
        .concat();
    insta::assert_snapshot!(all);
}

#[test]
fn every_problem_of_a_file_is_reported_in_file_order() {
    insta::assert_snapshot!(problems("bad/everything.yaml"));
}

#[test]
fn bytes_that_are_not_utf8_are_located() {
    let mut bytes = b"jobs:\n  - id: caf".to_vec();
    bytes.extend_from_slice(&[0xe9, b'\n']);
    let p = parse(&bytes).unwrap_err().render("latin1.yaml");
    assert_eq!(p, "latin1.yaml:2:12: the file is not valid UTF-8\n");
}

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

#[test]
fn no_input_makes_the_reader_panic() {
    let seeds: Vec<Vec<u8>> = ["realistic.yaml", "bad/everything.yaml", "bad/by_id.yaml"]
        .iter()
        .map(|n| read(n))
        .collect();
    const ALPHABET: &[u8] = b" \n\t-:[]{},#&*!|>'\"%@`?~0123456789abcxyz\\\x00\xff\xe9";
    let mut rng = Lcg(0x6a6f6273);
    for round in 0..3000 {
        let bytes: Vec<u8> = if round % 3 == 0 {
            (0..rng.next() % 300).map(|_| rng.next() as u8).collect()
        } else {
            // Mutate a real file: overwrite, insert and delete a few bytes.
            let mut b = seeds[round % seeds.len()].clone();
            for _ in 0..1 + rng.next() % 6 {
                let at = (rng.next() as usize) % b.len().max(1);
                let c = ALPHABET[(rng.next() as usize) % ALPHABET.len()];
                match rng.next() % 3 {
                    0 if at < b.len() => b[at] = c,
                    1 => b.insert(at.min(b.len()), c),
                    _ if at < b.len() => {
                        b.remove(at);
                    }
                    _ => {}
                }
            }
            b
        };
        if let Err(p) = parse(&bytes) {
            assert!(!p.0.is_empty());
            for problem in &p.0 {
                assert!(problem.line >= 1 && problem.column >= 1, "{problem}");
            }
        }
    }
}

#[test]
fn deep_nesting_and_alias_bombs_are_refused_not_followed() {
    let deep = format!("jobs: {}{}\n", "[".repeat(5000), "]".repeat(5000));
    assert!(parse(deep.as_bytes()).is_err());
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..12 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("b{}", i - 1)
        };
        bomb.push_str(&format!(
            "b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        ));
    }
    assert!(parse(bomb.as_bytes()).is_err());
}
