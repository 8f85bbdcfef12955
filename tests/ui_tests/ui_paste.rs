//! *Decode* (issue 23, item 18): a token pasted into the window where no field has focus opens
//! the Decode window on it and asks the runtime to decode it; the answer shows each SET's line,
//! verdict, subject, findings and claims; Ctrl+Enter decodes again with the keys chosen; a paste
//! into a field stays in the field; presenter mode masks the subject and the token.

use crate::fixtures;
use crate::kit;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable as _;
use fixtures::{NOW, TestKey, session_revoked, state_with};
use ssf_inspector::core::ingest::Expectations;
use ssf_inspector::core::pasted::{Pasted, PastedKeys};
use ssf_inspector::ui::view::PasteDraft;

fn token() -> (TestKey, String) {
    let key = TestKey::es256("k1");
    let token = key.sign(&session_revoked("pasted-1"));
    (key, token)
}

/// What the runtime answers for `text`, verified with `key`'s JWKS.
fn answer(text: &str, key: &TestKey) -> Pasted {
    let keys = key.jwks();
    let used = PastedKeys::Profile {
        name: "acme".to_owned(),
        issuer: fixtures::ISSUER.to_owned(),
        kids: vec!["k1".to_owned()],
    };
    Pasted::decode(text, &keys, &Expectations::default(), used, NOW)
}

#[test]
fn a_token_pasted_outside_a_field_is_decoded_in_its_own_window() {
    let (key, token) = token();
    let mut harness = kit::harness(state_with(Vec::new()), NOW);
    harness.run();
    harness.event(egui::Event::Paste(format!("{token}\nnot a token {{\n")));
    // The spinner redraws while the answer is awaited.
    harness.run_steps(2);
    harness.get_by_label("Decode a SET");
    assert!(
        harness
            .state()
            .commands
            .iter()
            .any(|c| c.contains("DecodePasted")),
        "{:?}",
        harness.state().commands
    );
    harness.get_by_label("Decoding…");
    let pasted = answer(&format!("{token}\nnot a token {{\n"), &key);
    harness.state_mut().state.pasted = Some(pasted);
    harness.run();
    harness.get_by_label_contains("Verified with the keys of \"acme\"");
    harness.get_by_label("2 SETs · 1 with errors");
    harness.get_by_label("Line 1");
    harness.get_by_label("Line 2");
    harness.get_by_label("valid signature");
    harness.get_by_label("malformed");
    harness.get_by_label_contains("Subject: email alice@example.com");
    harness.get_by_label("jws-malformed");
}

#[test]
fn a_paste_into_the_filter_stays_in_the_filter() {
    let mut harness = kit::harness(state_with(Vec::new()), NOW);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    harness.event(egui::Event::Paste("type:session".to_owned()));
    harness.run();
    assert!(harness.query_by_label("Decode a SET").is_none());
    assert_eq!(harness.state().view.filter, "type:session");
    assert!(harness.state().commands.is_empty());
}

#[test]
fn ctrl_enter_in_the_window_decodes_with_the_keys_chosen() {
    let (_, token) = token();
    let mut harness = kit::harness(state_with(Vec::new()), NOW);
    harness.state_mut().view.paste_form = Some(PasteDraft {
        text: token,
        profile: Some("acme".to_owned()),
        waiting: false,
    });
    harness.run();
    harness.get_by_label("Decode a SET");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Enter);
    harness.run_steps(2);
    let sent: Vec<_> = harness
        .state()
        .commands
        .iter()
        .filter(|c| c.contains("DecodePasted"))
        .cloned()
        .collect();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].contains("Some(\"acme\")"), "{sent:?}");
    assert!(
        !sent[0].contains("eyJ"),
        "the command's log form names the size, not the token: {sent:?}"
    );
    harness.get_by_label("Reading the keys of \"acme\" and decoding…");
}

#[test]
fn presenter_mode_masks_the_pasted_subject_and_token() {
    let (key, token) = token();
    let mut harness = kit::harness(state_with(Vec::new()), NOW);
    harness.state_mut().view.presenter = true;
    harness.state_mut().view.paste_form = Some(PasteDraft {
        text: token.clone(),
        profile: None,
        waiting: false,
    });
    harness.state_mut().state.pasted = Some(answer(&token, &key));
    harness.run();
    harness.get_by_label("Line 1");
    assert!(
        harness
            .query_all_by_label_contains("alice@example.com")
            .next()
            .is_none(),
        "the subject is masked"
    );
    assert!(
        harness
            .query_all_by_label_contains("a•••@example.com")
            .next()
            .is_some()
    );
    assert!(
        harness
            .query_all_by_label_contains(&token[..40])
            .next()
            .is_none(),
        "the token is not shown while presenting"
    );
}
