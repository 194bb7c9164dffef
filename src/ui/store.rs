//! The one store every component reads: the core's state machine, wrapped for Yew.

use crate::browser::page;
use crate::core::config::Config;
use crate::core::consent::{Action, Effect, Moment, State, decide};
use crate::core::i18n::Locale;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Effects not yet carried out, each with the locale the visitor saw when deciding. Shared
/// by every version of the store: several actions may be reduced before the next render,
/// and none of their effects may be lost.
pub type PendingEffects = Rc<RefCell<Vec<(Effect, Rc<Locale>)>>>;

#[derive(Debug, PartialEq)]
pub struct Store {
    pub config: Rc<Config>,
    pub state: State,
    pub locale: Rc<Locale>,
    pub pending: PendingEffects,
    /// Changes whenever effects were queued, so the app knows to carry them out.
    pub generation: u64,
}

impl Store {
    pub fn new(config: Rc<Config>, state: State) -> Store {
        let locale = Rc::new(Locale::for_site(&state.language, &config));
        Store { config, state, locale, pending: PendingEffects::default(), generation: 0 }
    }

    /// Takes the queued effects, oldest first.
    pub fn take_effects(&self) -> Vec<(Effect, Rc<Locale>)> {
        self.pending.take()
    }

    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.locale.text(key)
    }
}

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let moment = Moment { now: page::now(), fresh_id: page::new_id() };
        let (state, effects) = decide(&self.config, &self.state, action, moment);
        let locale = if state.language == self.state.language {
            self.locale.clone()
        } else {
            Rc::new(Locale::for_site(&state.language, &self.config))
        };
        let generation = if effects.is_empty() { self.generation } else { self.generation + 1 };
        self.pending.borrow_mut().extend(effects.into_iter().map(|effect| (effect, self.locale.clone())));
        Rc::new(Store { config: self.config.clone(), state, locale, pending: self.pending.clone(), generation })
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
    /// A callback that sends `action`, for `onclick` and friends.
    pub fn send<E>(&self, action: Action) -> Callback<E> {
        let handle = self.0.clone();
        Callback::from(move |_| handle.dispatch(action.clone()))
    }
}

/// The store, for any component below the app.
#[hook]
pub fn use_store() -> StoreHandle {
    use_context::<StoreHandle>().expect("components render inside the app's store provider")
}

impl StoreHandle {
    /// A callback that opens a dialog, remembering what had focus so it gets it back.
    pub fn open<E>(&self, action: Action) -> Callback<E> {
        Callback::from(move |_| crate::browser::api::open(action.clone()))
    }
}
