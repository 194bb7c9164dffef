//! Writes the first layer, rendered ahead of time (see `consent_widget::prerender`), as JSON
//! on stdout: `cargo run --features ssr --bin prerender > first-layer.json`.

fn main() {
    println!("{}", consent_widget::prerender::first_layer());
}
