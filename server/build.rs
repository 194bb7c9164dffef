//! The PostgreSQL tests need a server, named by `CONSENT_TEST_POSTGRES`. Built without it,
//! they are marked ignored (`cfg(postgres_tests)` unset), so that `cargo test` reports them as
//! skipped rather than as passed without running.

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=CONSENT_TEST_POSTGRES");
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    if std::env::var("CONSENT_TEST_POSTGRES").is_ok_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
