//! Keys typed and a click in one slow frame keep their order: when a frame's input has typing
//! and a pointer press (the next field clicked) one after the other, what comes from the second
//! waits for the next frame, so the field that had focus takes every character before the
//! click, and the field clicked has focus before the characters after it. Without this, egui
//! moves focus on the press and the characters on one side of it are lost ("abcde1" became
//! "abc").

use egui::{Event, RawInput};

/// Move the events from the first press after typing, or the first typing after a press, into
/// `held` (after putting back what was held from the frame before); true when some wait for
/// the next frame.
pub fn hold_back_after_typing(held: &mut Vec<Event>, raw: &mut RawInput) -> bool {
    let mut events = std::mem::take(held);
    events.append(&mut raw.events);
    let (mut typed, mut pressed) = (false, false);
    let split = events.iter().position(|event| match event {
        Event::Text(_) | Event::Paste(_) | Event::Key { pressed: true, .. } => {
            typed = true;
            pressed
        }
        Event::PointerButton { pressed: true, .. } => {
            pressed = true;
            typed
        }
        _ => false,
    });
    if let Some(at) = split {
        *held = events.split_off(at);
    }
    raw.events = events;
    !held.is_empty()
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
