//! Keys typed and a move of focus in one slow frame keep their order: when a frame's input has
//! typing and a focus move (a pointer press on the next field, or Tab / Shift+Tab) one after the
//! other, what comes from the second waits for the next frame, so the field that had focus takes
//! every character before the move, and the field focus moves to has it before the characters
//! after. Without this, egui moves focus on the press and the characters on one side of it are
//! lost ("abcde1" became "abc"), and the keys typed right after Tab land in the field Tab left
//! (the token endpoint became "…/tokenin", issue 23).

use egui::{Event, RawInput};

/// Move the events from the first focus move after typing, or the first typing after a focus
/// move, into `held` (after putting back what was held from the frame before); true when some
/// wait for the next frame.
pub fn hold_back_after_typing(held: &mut Vec<Event>, raw: &mut RawInput) -> bool {
    let mut events = std::mem::take(held);
    events.append(&mut raw.events);
    let (mut typed, mut moved) = (false, false);
    let split = events.iter().position(|event| {
        if moves_focus(event) {
            moved = true;
            typed
        } else if let Event::Text(_) | Event::Paste(_) | Event::Key { pressed: true, .. } = event {
            typed = true;
            moved
        } else {
            false
        }
    });
    if let Some(at) = split {
        *held = events.split_off(at);
    }
    raw.events = events;
    !held.is_empty()
}

/// A pointer press (it may focus the field under it), or Tab / Shift+Tab (egui moves focus to
/// the next or previous widget at the end of the frame).
fn moves_focus(event: &Event) -> bool {
    match event {
        Event::PointerButton { pressed: true, .. } => true,
        Event::Key {
            key: egui::Key::Tab,
            pressed: true,
            modifiers,
            ..
        } => !modifiers.any() || modifiers.shift_only(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press() -> Event {
        Event::PointerButton {
            pos: egui::pos2(10.0, 10.0),
            button: egui::PointerButton::Primary,
            pressed: true,
            modifiers: egui::Modifiers::NONE,
        }
    }

    #[test]
    fn a_press_after_typing_waits_one_frame_and_nothing_is_lost() {
        let mut held = Vec::new();
        let mut raw = RawInput {
            events: vec![
                Event::Text("emo".to_owned()),
                press(),
                Event::Text("x".to_owned()),
            ],
            ..RawInput::default()
        };
        assert!(hold_back_after_typing(&mut held, &mut raw));
        assert_eq!(raw.events, vec![Event::Text("emo".to_owned())]);
        // The click first, then (a frame later) what was typed in the field it focused.
        let mut next = RawInput::default();
        assert!(hold_back_after_typing(&mut held, &mut next));
        assert_eq!(next.events, vec![press()]);
        let mut last = RawInput::default();
        assert!(!hold_back_after_typing(&mut held, &mut last));
        assert_eq!(last.events, vec![Event::Text("x".to_owned())]);
    }

    fn tab(modifiers: egui::Modifiers) -> Event {
        Event::Key {
            key: egui::Key::Tab,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers,
        }
    }

    #[test]
    fn tab_between_typing_waits_one_frame_and_what_follows_one_more() {
        let mut held = Vec::new();
        let mut raw = RawInput {
            events: vec![
                Event::Text("n".to_owned()),
                tab(egui::Modifiers::SHIFT),
                Event::Text("in".to_owned()),
            ],
            ..RawInput::default()
        };
        assert!(hold_back_after_typing(&mut held, &mut raw));
        assert_eq!(raw.events, vec![Event::Text("n".to_owned())]);
        let mut next = RawInput::default();
        assert!(hold_back_after_typing(&mut held, &mut next));
        assert_eq!(next.events, vec![tab(egui::Modifiers::SHIFT)]);
        let mut last = RawInput::default();
        assert!(!hold_back_after_typing(&mut held, &mut last));
        assert_eq!(last.events, vec![Event::Text("in".to_owned())]);
        // Ctrl+Tab moves no focus: it is typing like any other key.
        let mut raw = RawInput {
            events: vec![
                Event::Text("n".to_owned()),
                tab(egui::Modifiers::CTRL),
                Event::Text("in".to_owned()),
            ],
            ..RawInput::default()
        };
        assert!(!hold_back_after_typing(&mut held, &mut raw));
        assert_eq!(raw.events.len(), 3);
    }

    #[test]
    fn typing_alone_or_a_press_alone_is_not_delayed() {
        let mut held = Vec::new();
        let mut raw = RawInput {
            events: vec![Event::Text("a".to_owned()), Event::Text("b".to_owned())],
            ..RawInput::default()
        };
        assert!(!hold_back_after_typing(&mut held, &mut raw));
        assert_eq!(raw.events.len(), 2);
        let mut raw = RawInput {
            events: vec![press()],
            ..RawInput::default()
        };
        assert!(!hold_back_after_typing(&mut held, &mut raw));
        assert_eq!(raw.events.len(), 1);
    }
}
