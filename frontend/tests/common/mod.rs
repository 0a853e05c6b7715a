//! What the browser tests share: mounting a view in a fresh container, letting it settle,
//! finding elements and acting on them as a person would.
#![allow(dead_code)] // Each test file uses its own share of these.

use std::time::Duration;

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

pub fn setup() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    Owner::new().set();
}

/// Mounts a view in a fresh container; dropping the handle unmounts it.
pub fn mount<F, N>(f: F) -> (HtmlElement, impl Drop)
where
    F: FnOnce() -> N + 'static,
    N: IntoView + 'static,
{
    let document = document();
    let container: HtmlElement = document
        .create_element("div")
        .expect("a div")
        .unchecked_into();
    document
        .body()
        .expect("a body")
        .append_child(&container)
        .expect("appended");
    let handle = mount_to(container.clone(), f);
    (container.clone(), Unmount(handle, container))
}

pub struct Unmount<M: leptos::tachys::view::Mountable>(
    leptos::mount::UnmountHandle<M>,
    HtmlElement,
);

impl<M: leptos::tachys::view::Mountable> Drop for Unmount<M> {
    fn drop(&mut self) {
        self.1.remove();
    }
}

/// Lets effects and re-renders run.
pub async fn settle() {
    for _ in 0..3 {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 5);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }
}

pub fn one(root: &Element, css: &str) -> Element {
    root.query_selector(css)
        .expect("a valid selector")
        .unwrap_or_else(|| panic!("no element matches {css}"))
}

pub fn all(root: &Element, css: &str) -> Vec<Element> {
    let list = root.query_selector_all(css).expect("a valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

pub fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default().trim().to_owned()
}

pub fn fire(el: &Element, event: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict(event, &init).expect("an event");
    el.dispatch_event(&ev).expect("dispatched");
}

pub fn type_into(root: &Element, css: &str, value: &str) {
    let el = one(root, css);
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
        area.set_value(value);
    } else if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
        select.set_value(value);
        fire(&el, "change");
        return;
    }
    fire(&el, "input");
}

pub fn click(root: &Element, css: &str) {
    one(root, css).unchecked_into::<HtmlElement>().click();
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("a window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Waits until `check` holds, failing the test after `timeout`.
pub async fn until(what: &str, timeout: Duration, check: impl Fn() -> bool) {
    let mut waited = 0;
    while !check() {
        assert!(
            waited < timeout.as_millis(),
            "timed out after {timeout:?} waiting for {what}"
        );
        sleep(50).await;
        waited += 50;
    }
}

/// Dispatches a mouse's pointer event `kind` (`pointerdown`, `pointermove`, `pointerup`) at
/// `(x, y)` in the window, with the left button held until `pointerup`.
pub fn pointer(target: &Element, kind: &str, x: i32, y: i32) {
    let init = web_sys::PointerEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_pointer_id(1);
    init.set_pointer_type("mouse");
    init.set_is_primary(true);
    init.set_button(0);
    init.set_buttons(if kind == "pointerup" { 0 } else { 1 });
    init.set_client_x(x);
    init.set_client_y(y);
    let ev = web_sys::PointerEvent::new_with_event_init_dict(kind, &init).expect("an event");
    target.dispatch_event(&ev).expect("dispatched");
}

/// Dispatches a wheel event scrolling `delta_y` pixels at `(x, y)` in the window.
pub fn wheel(target: &Element, delta_y: f64, x: i32, y: i32) {
    let init = web_sys::WheelEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_delta_y(delta_y);
    init.set_delta_mode(0);
    init.set_client_x(x);
    init.set_client_y(y);
    let ev = web_sys::WheelEvent::new_with_event_init_dict("wheel", &init).expect("an event");
    target.dispatch_event(&ev).expect("dispatched");
}

/// A save callback as a page gives its views, and what it was given, to look at.
pub fn recorder() -> (
    atlas_frontend::pages::consultation::results::SaveRecords,
    RwSignal<Vec<(uuid::Uuid, atlas_shared::Entity)>>,
) {
    let saved = RwSignal::new(Vec::new());
    // What a page hands over to save, read back as the store would store it.
    let cb = Callback::new(move |records: Vec<(uuid::Uuid, atlas_shared::Draft)>| {
        let records = records.into_iter().map(|(id, draft)| {
            let entity = atlas_shared::Entity::from_fields(draft.kind, &draft.fields)
                .expect("a page saves a record that reads back");
            (id, entity)
        });
        saved.update(|s| s.extend(records));
    });
    (cb, saved)
}

/// Chooses a file holding `contents` in the file input `input`, as a person picking it would,
/// then presses `button` (the form's "Check the file") and lets the page read it.
pub async fn choose_file(root: &Element, input: &str, button: &str, contents: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(contents));
    let file = web_sys::File::new_with_str_sequence(&parts, "partner.csv").expect("a file");
    let transfer = web_sys::DataTransfer::new().expect("a data transfer");
    transfer.items().add_with_file(&file).expect("added");
    let field: HtmlInputElement = one(root, input).unchecked_into();
    field.set_files(transfer.files().as_ref());
    click(root, button);
    for _ in 0..5 {
        settle().await;
    }
}
