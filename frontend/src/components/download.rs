//! Saving what the app made (exports, rescue files) as a file: the browser's download.

use leptos::prelude::document;
use wasm_bindgen::JsCast;

/// Saves `contents` as a file called `name` (the browser's download).
pub fn download(name: &str, mime: &str, contents: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(contents));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the file could not be made".to_owned())?;
    download_blob(name, &blob)
}

/// Saves `blob` as a file called `name`.
pub fn download_blob(name: &str, blob: &web_sys::Blob) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob)
        .map_err(|_| "the file could not be made".to_owned())?;
    let a: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|_| "the download could not start".to_owned())?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    if let Some(body) = document().body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
