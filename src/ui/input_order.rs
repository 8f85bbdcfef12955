//! Keys typed and a click in one slow frame keep their order: when a frame's input has typing
//! followed by a pointer press (the next field clicked), the press and what follows wait for the
//! next frame, so the field that had focus takes every character first. Without this, egui moves
//! focus on the press and the characters typed before it are lost ("abcde1" became "abc").

use egui::{Event, RawInput};

/// Move the events from the first pointer press that follows typing into `held` (after putting
/// back what was held from the frame before); true when some wait for the next frame.
pub fn hold_back_after_typing(held: &mut Vec<Event>, raw: &mut RawInput) -> bool {
    let mut events = std::mem::take(held);
    events.append(&mut raw.events);
    let mut typed = false;
    let split = events.iter().position(|event| match event {
        Event::Text(_) | Event::Paste(_) | Event::Key { pressed: true, .. } => {
            typed = true;
            false
        }
        Event::PointerButton { pressed: true, .. } => typed,
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
        let mut next = RawInput::default();
        assert!(!hold_back_after_typing(&mut held, &mut next));
        assert_eq!(next.events, vec![press(), Event::Text("x".to_owned())]);
    }

    #[test]
    fn a_press_without_typing_before_it_is_not_delayed() {
        let mut held = Vec::new();
        let mut raw = RawInput {
            events: vec![press(), Event::Text("a".to_owned())],
            ..RawInput::default()
        };
        assert!(!hold_back_after_typing(&mut held, &mut raw));
        assert_eq!(raw.events.len(), 2);
    }
}
