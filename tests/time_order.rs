//! Logs from long ago (archives, the public datasets of 2005–2017) keep their time order and
//! their time filters whatever order they are indexed in.

mod common;

use common::Scratch;

const Y2008: &str = "081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating\n\
081109 203807 222 INFO dfs.DataNode$PacketResponder: PacketResponder 0 for block blk_-6952295868487656571 terminating\n\
081110 091500 13 WARN dfs.DataNode: slow write to block blk_1\n";

const Y2005: &str = "[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties\n\
[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6\n\
[Mon Dec 05 19:15:57 2005] [error] mod_jk child workerEnv in error state 7\n";

#[test]
fn older_logs_indexed_later_sort_and_filter_by_their_own_time() {
    let s = Scratch::new();
    let newer = s.path("hdfs.log");
    let older = s.path("apache.log");
    std::fs::write(&newer, Y2008).unwrap();
    std::fs::write(&older, Y2005).unwrap();
    // Separate runs: the 2005 file arrives after the 2008 one is stored.
    s.run(&["index", newer.to_str().unwrap()]);
    s.run(&["index", older.to_str().unwrap()]);

    let newest_first = s.run(&["search", "", "--limit", "10"]);
    let times: Vec<&str> = newest_first.lines().filter_map(|l| l.get(..19)).collect();
    let mut sorted = times.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first:\n{newest_first}");
    assert_eq!(times.len(), 6);
    assert!(times[0].starts_with("2008-11-10 09:15:00"));
    assert!(times[5].starts_with("2005-12-04 04:47:44"));

    let in_2008 = s.run(&[
        "search",
        "",
        "--since",
        "2008-01-01",
        "--until",
        "2009-01-01",
    ]);
    assert_eq!(in_2008.lines().filter(|l| l.starts_with("2008")).count(), 3);
    assert!(!in_2008.contains("2005-"), "{in_2008}");

    let stats = s.stats(&["--since", "2005-12-05", "--until", "2006-01-01"]);
    assert_eq!(stats["total"], 1, "{stats}");
    let all = s.stats(&[]);
    assert_eq!(all["total"], 6);
    assert_eq!(all["first_ts"], "2005-12-04T04:47:44.000Z", "{all}");
    assert_eq!(all["last_ts"], "2008-11-10T09:15:00.000Z", "{all}");
}
