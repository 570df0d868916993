use super::*;
use crate::status::room::{self, Room};

fn room(meeting: &str) -> Room {
    room::of_journal(meeting, format!("/logs/{meeting}"), 1, None)
}

fn seen(ids: &[&str]) -> Seen {
    Seen {
        rooms: ids
            .iter()
            .enumerate()
            .map(|(at, id)| {
                let key = RoomKey {
                    at,
                    meeting: id.to_string(),
                };
                (key, room(id))
            })
            .collect(),
        troubles: Vec::new(),
    }
}

fn selected(rooms: &Rooms) -> &str {
    &rooms.selected.as_ref().expect("a selection").meeting
}

const T: Timestamp = Timestamp::UNIX_EPOCH;

#[test]
fn the_first_meeting_is_selected_on_the_first_look() {
    let mut rooms = Rooms::default();
    rooms.seen(seen(&["a", "b"]), T);
    assert_eq!(selected(&rooms), "a");
    assert_eq!(rooms.looked, Some(T));
}

#[test]
fn the_selection_stays_on_its_meeting_as_the_order_changes() {
    let mut rooms = Rooms::default();
    rooms.seen(seen(&["a", "b", "c"]), T);
    rooms.act(Action::Down);
    assert_eq!(selected(&rooms), "b");
    // c now needs attention and comes first: b is still the one selected.
    let mut reordered = seen(&["c", "a", "b"]);
    for (key, _) in &mut reordered.rooms {
        key.at = ["a", "b", "c"]
            .iter()
            .position(|m| *m == key.meeting)
            .unwrap();
    }
    rooms.seen(reordered, T);
    assert_eq!(selected(&rooms), "b");
    assert_eq!(rooms.index(), Some(2));
}

#[test]
fn a_meeting_gone_leaves_the_selection_on_its_row() {
    let mut rooms = Rooms::default();
    rooms.seen(seen(&["a", "b", "c"]), T);
    rooms.act(Action::Down);
    rooms.act(Action::Down);
    rooms.seen(seen(&["a", "x"]), T);
    assert_eq!(selected(&rooms), "x", "row 2 is gone: the last row");
}

#[test]
fn moving_stops_at_the_ends_and_pages_jump() {
    let mut rooms = Rooms::default();
    let ids: Vec<String> = (0..25).map(|i| format!("m{i:02}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    rooms.seen(seen(&ids), T);
    assert_eq!(rooms.act(Action::Up), Step::Stay);
    assert_eq!(selected(&rooms), "m00");
    rooms.act(Action::PageDown);
    assert_eq!(selected(&rooms), "m10");
    rooms.act(Action::PageDown);
    rooms.act(Action::PageDown);
    assert_eq!(selected(&rooms), "m24");
    rooms.act(Action::Down);
    assert_eq!(selected(&rooms), "m24");
    rooms.act(Action::Top);
    assert_eq!(selected(&rooms), "m00");
}

#[test]
fn enter_views_the_selected_meeting_and_q_quits() {
    let mut rooms = Rooms::default();
    assert_eq!(rooms.act(Action::View), Step::Stay, "nothing to view yet");
    rooms.seen(seen(&["a", "b"]), T);
    rooms.act(Action::Down);
    let key = RoomKey {
        at: 1,
        meeting: "b".into(),
    };
    assert_eq!(rooms.act(Action::View), Step::View(key));
    assert_eq!(rooms.act(Action::QuitNow), Step::Quit);
}

#[test]
fn a_key_clears_the_notice() {
    let mut rooms = Rooms::default();
    rooms.seen(seen(&["a"]), T);
    rooms.notice = Some("a has no meeting file here".into());
    rooms.act(Action::Down);
    assert_eq!(rooms.notice, None);
}
