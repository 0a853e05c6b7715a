//! What a resident or a member of staff sees if the app ever panics: a plain message that their
//! answers are safe, and a Reload button, instead of a frozen or blank page.
//!
//! The release build aborts on a panic (`panic = "abort"`, for a small download), so once the
//! hook has run no Rust code of the app runs again: Leptos's reactive system, its event
//! handlers and the sync loop are gone. The hook therefore uses plain DOM calls only, gives the
//! Reload button a plain JavaScript handler (`location.reload()`), and never touches IndexedDB
//! or the outbox: every saved answer is already there, and the reloaded app sends it. The
//! stylesheet stays in `<head>`, so the page keeps the app's look with its ordinary classes.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement};

/// The message that replaces the page.
pub const MESSAGE: &str = "Something went wrong. Your answers are safe on this device.";

/// Installs the panic hook: the panic is logged to the console (`console.error`, with its
/// stack), then the page is replaced by [`show`].
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let body = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body());
        if let Some(body) = body
            && let Err(e) = show(&body)
        {
            web_sys::console::error_2(&"Could not show the error page:".into(), &e);
        }
    }));
}

/// Replaces everything inside `root` (the page's `<body>`; a test passes an element of its own)
/// with the message and a Reload button, and moves the keyboard focus to the button.
pub fn show(root: &Element) -> Result<(), JsValue> {
    let document = root
        .owner_document()
        .ok_or_else(|| JsValue::from_str("the element is not in a document"))?;
    root.set_text_content(None);
    document.set_title("Something went wrong - Partnership Atlas");

    let header = element(&document, "header", &[("class", "header")])?;
    let bar = element(
        &document,
        "div",
        &[("class", "width-container header__container")],
    )?;
    let service = element(&document, "span", &[("class", "header__service")])?;
    service.set_text_content(Some("Partnership Atlas"));
    bar.append_child(&service)?;
    header.append_child(&bar)?;

    let container = element(&document, "div", &[("class", "width-container")])?;
    let main = element(
        &document,
        "main",
        &[("class", "main"), ("id", "crash"), ("tabindex", "-1")],
    )?;
    // An alert, so a screen reader says it at once.
    let alert = element(&document, "div", &[("role", "alert")])?;
    let heading = element(
        &document,
        "h1",
        &[("class", "heading-l"), ("id", "crash-message")],
    )?;
    heading.set_text_content(Some(MESSAGE));
    let advice = element(&document, "p", &[("class", "body")])?;
    advice.set_text_content(Some(
        "Reload the page to carry on. Anything saved is kept; an answer you had not yet \
         saved may need entering again.",
    ));
    alert.append_child(&heading)?;
    alert.append_child(&advice)?;
    let reload = element(
        &document,
        "button",
        &[
            ("type", "button"),
            ("class", "button"),
            ("id", "crash-reload"),
            // Plain JavaScript: the app's own code cannot run any more.
            ("onclick", "location.reload()"),
        ],
    )?;
    reload.set_text_content(Some("Reload the page"));
    main.append_child(&alert)?;
    main.append_child(&reload)?;
    container.append_child(&main)?;
    root.append_child(&header)?;
    root.append_child(&container)?;
    if let Ok(button) = reload.dyn_into::<HtmlElement>() {
        button.focus()?;
    }
    Ok(())
}

fn element(
    document: &Document,
    tag: &str,
    attributes: &[(&str, &str)],
) -> Result<Element, JsValue> {
    let el = document.create_element(tag)?;
    for (name, value) in attributes {
        el.set_attribute(name, value)?;
    }
    Ok(el)
}
