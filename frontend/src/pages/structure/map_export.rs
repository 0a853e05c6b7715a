//! Saving the map as a file: the whole map (not just the part in view) as an SVG document, or
//! drawn to a PNG at twice its size. This is code in the part `more`, fetched on the first
//! click of "Download SVG" or "Download PNG": a first visit to the map does not save it.

use atlas_shared::layout::Layout;
use atlas_shared::svg::whole;
use leptos::prelude::document;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use super::map_canvas::ViewBox;
use crate::components::download::{download, download_blob};
use crate::parts::PartNotLoaded;

/// The kinds of file the map is saved as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
}

/// Saves the map drawn in `svg` (laid out as `layout`) as `<stem>-map.svg` or `.png`; `Err`
/// says why it could not be, in words that follow "The map could not be saved: ".
fn save_now(
    format: Format,
    svg: &web_sys::SvgElement,
    layout: &Layout,
    stem: &str,
) -> Result<(), String> {
    let text = svg_document(svg, layout)?;
    match format {
        Format::Svg => download(&format!("{stem}-map.svg"), "image/svg+xml", &text),
        Format::Png => {
            let full = ViewBox::fit(layout);
            download_png(format!("{stem}-map.png"), text, full.w, full.h)
        }
    }
}

/// [`save_now`], once the part that does it is here.
#[cfg(feature = "split")]
#[allow(unsafe_code)]
#[::leptos::wasm_split::wasm_split(more, fallible, wasm_split_path = ::leptos::wasm_split)]
pub fn save(
    format: Format,
    svg: web_sys::SvgElement,
    layout: Layout,
    stem: String,
) -> Result<Result<(), String>, PartNotLoaded> {
    Ok(save_now(format, &svg, &layout, &stem))
}

#[cfg(not(feature = "split"))]
pub async fn save(
    format: Format,
    svg: web_sys::SvgElement,
    layout: Layout,
    stem: String,
) -> Result<Result<(), String>, PartNotLoaded> {
    Ok(save_now(format, &svg, &layout, &stem))
}

/// The whole map as a standalone SVG document (not just the part in view).
fn svg_document(svg: &web_sys::SvgElement, layout: &Layout) -> Result<String, String> {
    let copy: web_sys::Element = svg
        .clone_node_with_deep(true)
        .map_err(|_| "the map could not be copied".to_owned())?
        .unchecked_into();
    let full = ViewBox::fit(layout);
    // The inline style is the screen's state (a drag's slide, compositing hints), not the map's.
    let _ = copy.remove_attribute("style");
    let _ = copy.set_attribute("viewBox", &full.attribute());
    let _ = copy.set_attribute("width", &whole(full.w));
    let _ = copy.set_attribute("height", &whole(full.h));
    let serializer =
        web_sys::XmlSerializer::new().map_err(|_| "the map could not be saved".to_owned())?;
    let text = serializer
        .serialize_to_string(&copy)
        .map_err(|_| "the map could not be saved".to_owned())?;
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{text}"
    ))
}

/// Renders the SVG document to a PNG at twice its size on a white background and downloads it.
fn download_png(name: String, svg_text: String, width: f64, height: f64) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&svg_text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/svg+xml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the picture could not be made".to_owned())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the picture could not be made".to_owned())?;
    let image = web_sys::HtmlImageElement::new().map_err(|_| "no image support".to_owned())?;
    let scale = 2.0;
    let loaded = image.clone();
    let revoke = url.clone();
    let on_load = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&revoke);
        let Ok(canvas) = document().create_element("canvas") else {
            return;
        };
        let canvas: web_sys::HtmlCanvasElement = canvas.unchecked_into();
        canvas.set_width((width * scale) as u32);
        canvas.set_height((height * scale) as u32);
        let Ok(Some(ctx)) = canvas.get_context("2d") else {
            return;
        };
        let ctx: web_sys::CanvasRenderingContext2d = ctx.unchecked_into();
        ctx.set_fill_style_str("#ffffff");
        ctx.fill_rect(0.0, 0.0, width * scale, height * scale);
        let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(
            &loaded,
            0.0,
            0.0,
            width * scale,
            height * scale,
        );
        let on_blob = Closure::once_into_js(move |blob: Option<web_sys::Blob>| {
            if let Some(blob) = blob {
                let _ = download_blob(&name, &blob);
            }
        });
        let _ = canvas.to_blob(on_blob.unchecked_ref());
    });
    image.set_onload(Some(on_load.unchecked_ref()));
    image.set_src(&url);
    Ok(())
}
