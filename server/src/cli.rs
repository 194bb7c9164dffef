//! Command-line flags, each also readable from the environment.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Parser)]
#[command(name = "consent-server", version, about = "Serves the Consent Widget demo site and the built widget.")]
pub struct Args {
    /// Address to listen on.
    #[arg(long, env = "CONSENT_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Folder of the demo site, served at `/`.
    #[arg(long, env = "CONSENT_SITE_DIR", default_value = "www")]
    pub site_dir: PathBuf,
    /// Folder of the built widget (scripts/build-widget.sh), served at `/consent-widget/`.
    #[arg(long, env = "CONSENT_WIDGET_DIR", default_value = "dist/consent-widget")]
    pub widget_dir: PathBuf,
}
