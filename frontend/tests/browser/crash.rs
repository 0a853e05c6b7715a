//! The page the panic hook leaves behind, in a real browser: the hook's own drawing function
//! run on a container that holds a mounted view, as the app's `<body>` would.

use atlas_frontend::crash::{MESSAGE, show};
use leptos::prelude::*;
use wasm_bindgen_test::*;

use crate::common::*;

#[wasm_bindgen_test]
async fn a_crash_replaces_the_page_with_the_message_and_a_plain_reload_button() {
    setup();
    let (root, _h) = mount(|| {
        view! { <form id="capture"><input id="postcode" /></form> }
    });
    settle().await;
    assert!(root.query_selector("#capture").ok().flatten().is_some());

    show(&root).expect("the page is drawn");

    assert!(
        root.query_selector("#capture").ok().flatten().is_none(),
        "the app's page is gone"
    );
    let message = one(&root, "[role='alert'] h1#crash-message");
    assert_eq!(text(&message), MESSAGE);
    assert_eq!(
        MESSAGE,
        "Something went wrong. Your answers are safe on this device."
    );
    let button = one(&root, "main#crash button#crash-reload");
    assert_eq!(text(&button), "Reload the page");
    assert_eq!(button.get_attribute("type").as_deref(), Some("button"));
    // A plain JavaScript handler: the app's Rust code cannot run after a panic.
    assert_eq!(
        button.get_attribute("onclick").as_deref(),
        Some("location.reload()")
    );
    assert_eq!(button.get_attribute("class").as_deref(), Some("button"));
    let focused = document().active_element();
    assert!(
        focused.is_some_and(|f| f.is_same_node(Some(&button))),
        "the keyboard is on the Reload button"
    );
    assert_eq!(
        document().title(),
        "Something went wrong - Partnership Atlas"
    );
    // Drawn twice (a second panic), it is still one message.
    show(&root).expect("drawn again");
    assert_eq!(all(&root, "#crash-message").len(), 1);
}
