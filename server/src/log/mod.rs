//! The proof-of-consent log: rows written in hash chains (one per server), signed checkpoints
//! of their heads, anchors copied out of the database, retention's purges, and the verification
//! that checks all of it. Its SQL is in [`crate::store`].

pub mod anchors;
pub mod chains;
pub mod checkpoint;
pub mod checkpoints;
pub mod maintenance;
pub mod retention;
pub mod scans;
pub mod verify;
pub mod writer;
