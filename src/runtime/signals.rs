//! Signals that end the process cleanly: Ctrl+C, and SIGTERM (what `timeout`, systemd and
//! container runtimes send) where there is one.

/// Ctrl+C, or SIGTERM where there is one (never returns where neither can be caught).
pub async fn termination() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                () = ctrl_c => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    ctrl_c.await;
}
