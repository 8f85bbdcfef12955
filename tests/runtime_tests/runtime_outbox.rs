//! The window's commands to the runtime (issue 22, 3): what the runtime's queue has no room for
//! waits in the outbox, in order, and goes as room comes; nothing is dropped for a full queue,
//! and the UI thread never waits. Only a stopped runtime refuses a command.

use ssf_inspector::runtime::{Command, Outbox, RuntimeHandle};

#[test]
fn thousands_of_commands_against_a_full_queue_all_arrive_in_order() {
    const SENT: u64 = 5_000;
    let (handle, mut received) = RuntimeHandle::channel(4);
    let mut outbox = Outbox::new(handle);
    for seq in 0..SENT {
        outbox
            .send(Command::LoadSet(seq))
            .expect("taken or waiting");
    }
    assert_eq!(outbox.waiting(), 4_996, "the queue holds 4, the rest wait");
    let mut got = Vec::new();
    // The runtime takes a few at a time, the window flushes once a frame.
    for _frame in 0..10_000 {
        for _ in 0..3 {
            if let Ok(Command::LoadSet(seq)) = received.try_recv() {
                got.push(seq);
            }
        }
        outbox.flush().expect("the runtime runs");
        if got.len() as u64 == SENT {
            break;
        }
    }
    assert_eq!(got, (0..SENT).collect::<Vec<_>>(), "every one, in order");
    assert_eq!(outbox.waiting(), 0);
}

#[test]
fn a_stopped_runtime_refuses_and_nothing_is_kept_for_it() {
    let (handle, received) = RuntimeHandle::channel(1);
    let mut outbox = Outbox::new(handle);
    outbox.send(Command::LoadSet(1)).expect("taken");
    outbox.send(Command::LoadSet(2)).expect("waiting");
    assert_eq!(outbox.waiting(), 1);
    drop(received);
    assert!(outbox.send(Command::LoadSet(3)).is_err(), "stopped");
    assert_eq!(outbox.waiting(), 0);
    assert_eq!(
        outbox.drain_blocking(std::time::Duration::from_millis(50)),
        0
    );
}
