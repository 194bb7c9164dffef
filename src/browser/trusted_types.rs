//! Trusted Types. Under `require-trusted-types-for 'script'` a page refuses a plain string as a
//! script's URL or text; it takes only values made by a policy the page's CSP names. The widget
//! has its own policy, `consent-widget` (pages list it: `trusted-types consent-widget`), and uses
//! it for nothing but what it copies from the page's own marked tags when it releases them: the
//! site wrote those values, and the page's `script-src` still decides whether they may run.

use std::cell::OnceCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::Element;

/// The policy's name, for the page's `trusted-types` directive.
pub const POLICY_NAME: &str = "consent-widget";

thread_local! {
    /// Created once per page (a name can be created only once), on first use; `None` where the
    /// browser has no Trusted Types or the page does not allow the name.
    static POLICY: OnceCell<Option<JsValue>> = const { OnceCell::new() };
}

/// Uses `policy`, the `consent-widget` policy the loader created before the wasm ran, unless
/// this page's policy is already settled.
pub fn adopt(policy: JsValue) {
    POLICY.with(|cell| {
        let _ = cell.set(Some(policy));
    });
}

/// Sets a script element's attribute, through the policy where the attribute is a script sink
/// (`src`, and event handlers such as `onload`).
pub fn set_script_attribute(script: &Element, name: &str, value: &str) {
    let value = if name.eq_ignore_ascii_case("src") {
        trusted("createScriptURL", value)
    } else if name.len() > 2 && name[..2].eq_ignore_ascii_case("on") {
        trusted("createScript", value)
    } else {
        JsValue::from_str(value)
    };
    // `setAttribute` itself, called with the value as it is: web-sys would turn it into a string.
    if let Ok(set) = js_sys::Reflect::get(script, &"setAttribute".into()) {
        let _ = set.unchecked_ref::<js_sys::Function>().call2(script, &name.into(), &value);
    }
}

/// Sets an inline script's text, through the policy.
pub fn set_script_text(script: &Element, text: &str) {
    let _ = js_sys::Reflect::set(script, &"text".into(), &trusted("createScript", text));
}

/// `value` made into a trusted type by the policy's `method`, or the plain string without one.
fn trusted(method: &str, value: &str) -> JsValue {
    let plain = JsValue::from_str(value);
    POLICY
        .with(|policy| policy.get_or_init(create_policy).clone())
        .and_then(|policy| {
            let make = js_sys::Reflect::get(&policy, &method.into()).ok()?;
            make.unchecked_ref::<js_sys::Function>().call1(&policy, &plain).ok()
        })
        .unwrap_or(plain)
}

fn create_policy() -> Option<JsValue> {
    let global = js_sys::global();
    let factory = js_sys::Reflect::get(&global, &"trustedTypes".into()).ok().filter(JsValue::is_object)?;
    let create = js_sys::Reflect::get(&factory, &"createPolicy".into()).ok()?;
    // Each value is the site's own markup, passed on as it is: `String` returns it unchanged,
    // and being the browser's own function it needs no glue code.
    let unchanged = js_sys::Reflect::get(&global, &"String".into()).ok()?;
    let rules = js_sys::Object::new();
    for method in ["createScriptURL", "createScript"] {
        let _ = js_sys::Reflect::set(&rules, &method.into(), &unchanged);
    }
    let policy = create.unchecked_ref::<js_sys::Function>().call2(&factory, &POLICY_NAME.into(), &rules);
    if policy.is_err() {
        super::page::console_warn(
            "cannot create the Trusted Types policy `consent-widget`: a page that requires Trusted Types \
             must allow it (`trusted-types consent-widget`), or marked scripts cannot run",
        );
    }
    policy.ok()
}
