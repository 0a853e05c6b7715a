//! The app in parts: each area's pages are compiled into a part of their own, fetched the first
//! time one of them is opened, so a first visit downloads the app's core and the one page's
//! part rather than every page.
//!
//! An area lists its pages once with [`part!`] (in its `mod.rs`) and its routes show them
//! with `lazy(Page::X)`. With the `split` feature (the release bundle `cargo xtask` builds,
//! see `xtask/src/bundle.rs`) the area's `render` is a split point: the bundle's splitter
//! moves every function only it reaches into the area's own module, and calling it fetches
//! that module first. Without the feature (tests, `trunk serve`) it is a plain function and
//! the page is there at once, so the same code runs in both.
//!
//! A part that cannot be fetched (the connection dropped, a new version replaced the old
//! files) never stops the app: [`part_page`] says so and offers to try again, and the rest
//! of the app goes on working. The service worker keeps every part for offline use after
//! the first visit (`frontend/sw.js`).

use std::future::Future;

use leptos::prelude::*;

use crate::components::set_title;

/// A part of the app that could not be fetched (the browser logs why).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartNotLoaded;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for PartNotLoaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        PartNotLoaded
    }
}

/// The page `load` answers, once its part has arrived: a short "Loading" while it is fetched
/// (nothing at all when it is already here), and a way to try again when it cannot be.
pub fn part_page<Fut>(load: impl Fn() -> Fut + Send + Sync + 'static) -> impl IntoView
where
    Fut: Future<Output = Result<AnyView, PartNotLoaded>> + Send + 'static,
{
    lazy_view(load, page_loading, page_failed)
}

// The messages are functions of their own rather than closures in `part_page` (and
// `part_section` below), which is compiled again for every page's `load`.

fn page_loading() -> AnyView {
    view! { <PartLoading /> }.into_any()
}

fn page_failed(attempt: RwSignal<u32>) -> AnyView {
    view! { <PartNotFetched attempt /> }.into_any()
}

/// What `load` answers once its part is here: `loading` meanwhile, `failed` (given the
/// counter its "Try again" button bumps) when the part cannot be fetched.
fn lazy_view<Fut>(
    load: impl Fn() -> Fut + Send + Sync + 'static,
    loading: impl FnOnce() -> AnyView + Send + 'static,
    failed: impl Fn(RwSignal<u32>) -> AnyView + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    Fut: Future<Output = Result<AnyView, PartNotLoaded>> + Send + 'static,
{
    let attempt = RwSignal::new(0_u32);
    view! {
        <Suspense fallback=loading>
            {move || {
                attempt.track();
                let loading = load();
                Suspend::new(async move {
                    match loading.await {
                        Ok(view) => view,
                        Err(PartNotLoaded) => failed(attempt),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn PartLoading() -> impl IntoView {
    view! {
        <div class="loading" data-part="loading">
            <p class="body">"Loading this page…"</p>
        </div>
    }
}

/// The page's part could not be fetched: what that means, and a button that tries again.
#[component]
fn PartNotFetched(attempt: RwSignal<u32>) -> impl IntoView {
    set_title(|| vec!["This page could not be loaded".to_owned()]);
    let online = crate::data::navigator_online();
    let why = if online {
        "This device could not download this page. The connection may have dropped, or Partnership Atlas may have just been updated."
    } else {
        "This device is offline and has not kept this page yet. Pages are kept for offline use after the first visit with a connection."
    };
    view! {
        <div class="part-failed" data-part="failed" role="alert">
            <h1 class="heading-l">"This page could not be loaded"</h1>
            <p class="body">{why}</p>
            <p class="body">"Nothing you entered has been lost: your answers and changes are kept on this device."</p>
            <div class="button-group">
                <button type="button" class="button" on:click=move |_| attempt.update(|n| *n += 1)>
                    "Try again"
                </button>
                <a class="link" href="/">
                    "Go to the list of partnerships"
                </a>
            </div>
        </div>
    }
}

/// Where a section that is a part of its own is shown ([`part_section`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Within {
    /// Among a page's blocks: its messages are paragraphs.
    Page,
    /// Among a list's items (the map's search matches): its messages are items too.
    List,
}

/// A section of a page that is a part of its own, fetched the first time it is shown (the
/// map panel's details of a body, which a first visit to the map does not show): `what`
/// names it for the message when it cannot be fetched, beside a button that tries again. The
/// rest of the page stays as it is meanwhile.
pub fn part_section<Fut>(
    what: &'static str,
    within: Within,
    load: impl Fn() -> Fut + Send + Sync + 'static,
) -> impl IntoView
where
    Fut: Future<Output = Result<AnyView, PartNotLoaded>> + Send + 'static,
{
    lazy_view(
        load,
        move || section_loading(what, within),
        move |attempt| section_failed(what, within, attempt),
    )
}

/// A section's message while its part is on its way.
fn section_loading(what: &'static str, within: Within) -> AnyView {
    let message = view! { <p class="body hint" data-part="loading">"Loading " {what} "…"</p> };
    in_place(within, message.into_any())
}

/// A section's message when its part could not be fetched.
fn section_failed(what: &'static str, within: Within, attempt: RwSignal<u32>) -> AnyView {
    in_place(
        within,
        view! { <SectionNotFetched what attempt /> }.into_any(),
    )
}

/// `message` as a block of the page, or as an item of the list it is in.
fn in_place(within: Within, message: AnyView) -> AnyView {
    match within {
        Within::Page => message,
        Within::List => view! { <li>{message}</li> }.into_any(),
    }
}

/// A section's part could not be fetched: why, and a button that tries again.
#[component]
fn SectionNotFetched(what: &'static str, attempt: RwSignal<u32>) -> impl IntoView {
    let online = crate::data::navigator_online();
    let why = if online {
        "The connection may have dropped, or Partnership Atlas may have just been updated."
    } else {
        "This device is offline and has not kept this yet. Everything is kept for offline use after the first visit with a connection."
    };
    view! {
        <div class="part-failed part-failed--section" data-part="failed" role="alert">
            <p class="body">"This device could not download " {what} ". " {why}</p>
            <button type="button" class="button button--secondary" on:click=move |_| attempt.update(|n| *n += 1)>
                "Try again"
            </button>
        </div>
    }
}

/// Declares an area's pages and the parts they are in, in the area's module:
///
/// ```ignore
/// part!(structure {
///     map { PartnershipMapPage, OutlinePage },
///     staff { NewBodyPage, EditBodyPage },
/// });
/// ```
///
/// Each `PageComponent` is a page component with no props. A part's name names its file,
/// `split_<name>.wasm`; areas that give the same name share one part. The pages a visitor
/// opens first (the home page, a map, its outline, a partnership, a public questionnaire)
/// each have a small part of their own; every page for staff is in one `staff` part; the
/// other pages, seldom opened first, share one (`more`: a body's and an organisation's
/// pages, "you said, we did" and the device's page). Code that several parts use goes into a
/// shared chunk for each distinct set of parts that uses it, so every extra part multiplies
/// the chunks a page fetches: thirteen parts made 374 chunks and the map fetched 149 of
/// them; the eight parts (with `send`) make 59, and a first visit fetches its page's
/// in one pack. It defines `Page` (one variant per component, named after it, and
/// `Page::ALL`) and `lazy(page)`, which shows one; the area's `ROUTES` then give each page
/// its address (`crate::app`).
macro_rules! part {
    ($area:ident { $($part:ident { $($page:ident),+ $(,)? }),+ $(,)? }) => {
        /// This area's pages, shown with [`lazy`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        #[allow(clippy::enum_variant_names)]
        pub enum Page {
            $($($page),+),+
        }

        impl Page {
            /// Every page of this area.
            pub const ALL: &[Page] = &[$($(Page::$page),+),+];

            /// The part this page is in: `split_<part>.wasm` in the release bundle.
            pub const fn part(self) -> &'static str {
                match self {
                    $($(Page::$page)|+ => stringify!($part)),+
                }
            }
        }

        /// The page `page`, once its part is here (see `crate::parts`).
        pub fn lazy(page: Page) -> ::leptos::prelude::AnyView {
            use ::leptos::prelude::IntoAny;
            match page {
                $($(Page::$page)|+ => {
                    $crate::parts::part_page(move || split::$part::load(page)).into_any()
                })+
            }
        }

        /// The split points: only these reach the area's pages, each part's its own.
        mod split {
            $(
                #[allow(unsafe_code)]
                pub mod $part {
                    use super::super::*;
                    use ::leptos::prelude::{AnyView, IntoAny};
                    use $crate::parts::PartNotLoaded;

                    fn render(page: Page) -> AnyView {
                        $crate::styles::$part();
                        match page {
                            $(Page::$page => $page().into_any(),)+
                            // Never asked for: `lazy` sends each page to its own part.
                            #[allow(unreachable_patterns)]
                            _ => ().into_any(),
                        }
                    }

                    #[cfg(feature = "split")]
                    #[::leptos::wasm_split::wasm_split($part, fallible, wasm_split_path = ::leptos::wasm_split)]
                    pub fn load(page: Page) -> Result<AnyView, PartNotLoaded> {
                        Ok(render(page))
                    }

                    #[cfg(not(feature = "split"))]
                    pub async fn load(page: Page) -> Result<AnyView, PartNotLoaded> {
                        Ok(render(page))
                    }
                }
            )+
        }
    };
}

pub(crate) use part;
