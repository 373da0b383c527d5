//! While the full-text index lags behind the entries (an indexer running ahead of it), a new
//! search answers twice: at once from the index, then completely after scanning the rest.

mod tui_fixture;

use logdex::query::{Filter, Order, SearchMode, TextQuery};
use logdex::tui::action::{Action, Loaded, Placement, Selection};
use logdex::tui::effect::{Anchor, Effect};
use logdex::tui::worker;
use tui_fixture::Fixture;

fn search(text: &str) -> Effect {
    Effect::LoadWindow {
        seq: 1,
        filter: Filter {
            text: Some(TextQuery::parse(SearchMode::Words, text).expect("query")),
            ..Filter::default()
        },
        order: Order::OldestFirst,
        anchor: Anchor::Newest,
        limit: 50,
        placement: Placement::Replace(Selection::Last),
    }
}

fn pages(replies: Vec<Action>) -> Vec<(usize, bool)> {
    replies
        .into_iter()
        .map(|a| match a {
            Action::Loaded(Loaded::PageLoaded { page, partial, .. }) => {
                (page.entries.len(), partial)
            }
            other => panic!("{other:?}"),
        })
        .collect()
}

#[test]
fn a_search_answers_from_the_index_first_then_completely() {
    let f = Fixture::new();
    // Current index: one complete answer.
    assert_eq!(
        pages(worker::perform(&f.store, search("retrying"))),
        [(30, false)]
    );
    // The newest half is listed as not yet in the index (as while an indexer runs ahead).
    let main = rusqlite::Connection::open(f.store.path()).expect("main");
    let fts = rusqlite::Connection::open(f.store.fts_path()).expect("fts");
    let middle: i64 = main
        .query_row(
            "SELECT id FROM log_entries ORDER BY id LIMIT 1 OFFSET 120",
            [],
            |r| r.get(0),
        )
        .expect("middle id");
    main.execute(
        "INSERT INTO fts_queue(seq, lo_id, hi_id) SELECT 1000, ?1, max(id) FROM log_entries",
        [middle],
    )
    .expect("queue");
    fts.execute_batch("UPDATE fts_state SET seq = 999")
        .expect("state");
    let got = pages(worker::perform(&f.store, search("retrying")));
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].1 && got[0].0 <= 30, "{got:?}");
    assert_eq!(got[1], (30, false));
}
