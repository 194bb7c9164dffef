//! The one store every component reads: the core's state machine, wrapped for Yew.

use crate::browser::api::{Live, LiveState};
use crate::browser::effects::Decided;
use crate::browser::page;
use crate::core::config::Config;
use crate::core::consent::{Action, Moment, State, decide};
use crate::core::i18n::Locale;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// A visitor's action and when it was taken (Unix milliseconds): now, or earlier for a click
/// the loader kept before the wasm ran.
#[derive(Debug, Clone, PartialEq)]
pub struct Taken {
    pub action: Action,
    pub at: f64,
}

impl Taken {
    pub fn now(action: Action) -> Taken {
        Taken { action, at: js_sys::Date::now() }
    }
}

/// Effects not yet carried out, oldest first. Shared by every version of the store: several
/// actions may be reduced before the next render, and none of their effects may be lost.
pub type PendingEffects = Rc<RefCell<Vec<Decided>>>;

#[derive(Debug, PartialEq)]
pub struct Store {
    pub config: Rc<Config>,
    pub state: State,
    pub locale: Rc<Locale>,
    pub pending: PendingEffects,
    /// Changes whenever effects were queued, so the app knows to carry them out.
    pub generation: u64,
    /// The consent in force and whether a dialog is open, as the page reads them: kept by the
    /// store, updated with each action.
    pub live: LiveState,
}

impl Store {
    pub fn new(config: Rc<Config>, state: State) -> Store {
        let locale = Rc::new(Locale::for_site(&state.language, &config));
        let live = Rc::new(RefCell::new(Live { consent: state.consent.clone(), dialog_open: state.dialog.is_some() }));
        Store { config, state, locale, pending: PendingEffects::default(), generation: 0, live }
    }

    /// Takes the queued effects, oldest first.
    pub fn take_effects(&self) -> Vec<Decided> {
        self.pending.take()
    }

    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.locale.text(key)
    }

    /// The store after `taken`, its effects queued.
    pub fn after(&self, taken: Taken) -> Store {
        let moment = Moment { now: (taken.at / 1000.0) as i64, fresh_id: page::new_id() };
        let (state, effects) = decide(&self.config, &self.state, taken.action, moment);
        let locale = if state.language == self.state.language {
            self.locale.clone()
        } else {
            Rc::new(Locale::for_site(&state.language, &self.config))
        };
        let generation = if effects.is_empty() { self.generation } else { self.generation + 1 };
        self.pending.borrow_mut().extend(effects.into_iter().map(|effect| Decided {
            effect,
            locale: self.locale.clone(),
            at: taken.at,
        }));
        *self.live.borrow_mut() = Live { consent: state.consent.clone(), dialog_open: state.dialog.is_some() };
        Store {
            config: self.config.clone(),
            state,
            locale,
            pending: self.pending.clone(),
            generation,
            live: self.live.clone(),
        }
    }
}

impl Reducible for Store {
    type Action = Taken;

    fn reduce(self: Rc<Self>, taken: Taken) -> Rc<Self> {
        Rc::new(self.after(taken))
    }
}

/// The store as components receive it through context.
#[derive(Clone, PartialEq)]
pub struct StoreHandle(pub UseReducerHandle<Store>);

impl std::ops::Deref for StoreHandle {
    type Target = Store;

    fn deref(&self) -> &Store {
        &self.0
    }
}

impl StoreHandle {
    /// Sends `action`, taken now.
    pub fn dispatch(&self, action: Action) {
        self.0.dispatch(Taken::now(action));
    }

    /// A callback that sends `action`, for `onclick` and friends.
    pub fn send<E>(&self, action: Action) -> Callback<E> {
        let handle = self.clone();
        Callback::from(move |_| handle.dispatch(action.clone()))
    }

    /// A callback for a decision that closes the banner ("Accept all", "Reject all"): the banner
    /// is hidden at once, so the frame after the click already shows the answer, and the
    /// decision, taken at the click, is made in the next task, with the app's render after it.
    /// The visitor does not wait for that work to see the click answered (Interaction to Next Paint).
    pub fn decide_closing_banner(&self, action: Action) -> Callback<MouseEvent> {
        let handle = self.0.clone();
        Callback::from(move |event: MouseEvent| {
            let taken = Taken::now(action.clone());
            let banner = event
                .target()
                .and_then(|target| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(target).ok())
                .and_then(|button| button.closest(".cw-banner").ok().flatten());
            if let Some(banner) = banner {
                let _ = banner.set_attribute("hidden", "");
            }
            let handle = handle.clone();
            wasm_bindgen_futures::spawn_local(async move {
                page::next_task().await;
                handle.dispatch(taken);
            });
        })
    }

    /// A callback that opens a dialog, remembering what had focus so it gets it back.
    pub fn open<E>(&self, action: Action) -> Callback<E> {
        Callback::from(move |_| crate::browser::api::open(action.clone()))
    }
}

/// The store, for any component below the app.
#[hook]
pub fn use_store() -> StoreHandle {
    use_context::<StoreHandle>().expect("components render inside the app's store provider")
}
