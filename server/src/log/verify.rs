//! Verifying the whole log: its chains, their checkpoints, then the stored scan reports.

use crate::store::Store;
use crate::store::verify::{Verdict, verify};

/// Verifies the chains and their checkpoints, then the stored scan reports; signatures are
/// checked when a key is given.
pub async fn verify_chain(store: &Store, key: Option<&str>) -> Result<Verdict, sqlx::Error> {
    let verdict = verify(store, |checkpoint| checkpoint.is_authentic(key)).await?;
    if let Verdict::Intact { .. } = verdict
        && let Some(broken) = super::scans::verify(store, key).await?
    {
        return Ok(broken);
    }
    Ok(verdict)
}
