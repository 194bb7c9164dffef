//! The SQL of the shown texts: the canonical text behind each record's `textHash`.

use super::Store;

impl Store {
    /// The text stored under `hash`.
    pub async fn shown_text(&self, hash: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT text FROM shown_texts WHERE hash = $1").bind(hash).fetch_optional(&self.pool).await
    }

    /// Whether a text is stored under `hash`.
    pub async fn has_shown_text(&self, hash: &str) -> Result<bool, sqlx::Error> {
        let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM shown_texts WHERE hash = $1")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }

    /// Stores `text` under `hash` unless a text is there already: whether it was stored now.
    /// Several servers may store the same text at once; one of them does.
    pub async fn add_shown_text(&self, hash: &str, text: &str, now: i64) -> Result<bool, sqlx::Error> {
        let result = sqlx::query(
            "INSERT INTO shown_texts (hash, text, first_seen) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING",
        )
        .bind(hash)
        .bind(text)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// Whether a record of the log names `hash` as its text hash.
    pub async fn a_record_names_text(&self, hash: &str) -> Result<bool, sqlx::Error> {
        let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM consent_records WHERE text_hash = $1 LIMIT 1")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }
}
