//! Export of the canvas as a picture: a self-contained SVG (the page's stylesheet and every
//! icon embedded, the whole design framed regardless of pan and zoom) and a PNG drawn from it.
//!
//! Text uses the system font stack of the stylesheet, so the file references nothing outside
//! itself; a viewer without those fonts falls back to its sans-serif. The stylesheet is read
//! from the page (CSSOM) rather than compiled in: the page already downloads it once.

use super::browser;
use crate::view::Rect;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CssStyleSheet, Element, HtmlCanvasElement, HtmlImageElement, XmlSerializer};

const ICONS: [(&str, &str); 10] = [
    ("bastion", include_str!("../../www/icons/bastion.svg")),
    ("gateway", include_str!("../../www/icons/gateway.svg")),
    ("nsg", include_str!("../../www/icons/nsg.svg")),
    ("onprem-machine", include_str!("../../www/icons/onprem-machine.svg")),
    ("onprem-site", include_str!("../../www/icons/onprem-site.svg")),
    ("subnet", include_str!("../../www/icons/subnet.svg")),
    ("user", include_str!("../../www/icons/user.svg")),
    ("vm", include_str!("../../www/icons/vm.svg")),
    ("vnet", include_str!("../../www/icons/vnet.svg")),
    ("vwan-hub", include_str!("../../www/icons/vwan-hub.svg")),
];

/// The text of every rule of the page's stylesheets, as the browser parsed them.
fn page_style(document: &web_sys::Document) -> String {
    let mut text = String::new();
    let sheets = document.style_sheets();
    for i in 0..sheets.length() {
        let Some(sheet) = sheets.item(i).and_then(|it| it.dyn_into::<CssStyleSheet>().ok()) else { continue };
        let Ok(rules) = sheet.css_rules() else { continue };
        for k in 0..rules.length() {
            if let Some(rule) = rules.item(k) {
                text.push_str(&rule.css_text());
                text.push('\n');
            }
        }
    }
    text
}

/// An SVG document as a `data:` URI, percent-encoded (no base64 needed).
fn data_uri(svg: &str) -> String {
    let encoded: String = js_sys::encode_uri_component(svg).into();
    format!("data:image/svg+xml;charset=utf-8,{encoded}")
}

/// The canvas as a standalone SVG document framing `bounds` (the scene's box).
pub fn canvas_svg(bounds: Rect) -> Result<String, String> {
    let document = web_sys::window().and_then(|it| it.document()).ok_or("no document")?;
    let canvas =
        document.query_selector("[data-testid=canvas]").ok().flatten().ok_or("the canvas is not on the page")?;
    let copy: Element = canvas.clone_node_with_deep(true).map_err(|_| "could not copy the canvas")?.unchecked_into();
    let frame = bounds.inflated(24.0);
    let (w, h) = (frame.w.max(1.0), frame.h.max(1.0));
    let _ = copy.set_attribute("xmlns", "http://www.w3.org/2000/svg");
    let _ = copy.set_attribute("viewBox", &format!("{:.0} {:.0} {:.0} {:.0}", frame.x, frame.y, w, h));
    let _ = copy.set_attribute("width", &format!("{w:.0}"));
    let _ = copy.set_attribute("height", &format!("{h:.0}"));
    let _ = copy.remove_attribute("data-testid");
    let _ = copy.remove_attribute("role");
    // The picture shows the whole design, whatever the pan and zoom on screen.
    if let Ok(Some(viewport)) = copy.query_selector("g.viewport") {
        let _ = viewport.remove_attribute("transform");
        let _ = viewport.set_attribute("class", "viewport");
    }
    if let Ok(Some(background)) = copy.query_selector("rect.canvas-bg") {
        let at = |v: f64| format!("{v:.0}");
        let _ = background.set_attribute("x", &at(frame.x));
        let _ = background.set_attribute("y", &at(frame.y));
        let _ = background.set_attribute("width", &at(w));
        let _ = background.set_attribute("height", &at(h));
    }
    if let Ok(images) = copy.query_selector_all("image") {
        for i in 0..images.length() {
            let Some(image) = images.item(i).and_then(|it| it.dyn_into::<Element>().ok()) else { continue };
            let href = image.get_attribute("href").unwrap_or_default();
            let slug = href.trim_start_matches("icons/").trim_end_matches(".svg");
            if let Some((_, icon)) = ICONS.iter().find(|it| it.0 == slug) {
                let _ = image.set_attribute("href", &data_uri(icon));
            }
        }
    }
    let style = document.create_element_ns(Some("http://www.w3.org/2000/svg"), "style").map_err(|_| "no style")?;
    style.set_text_content(Some(&page_style(&document)));
    let _ = copy.insert_before(&style, copy.first_child().as_ref());
    let text = XmlSerializer::new()
        .map_err(|_| "no serializer")?
        .serialize_to_string(&copy)
        .map_err(|_| "could not serialize the canvas")?;
    Ok(format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{text}"))
}

pub fn export_svg(bounds: Rect, filename: &str) -> Result<(), String> {
    let svg = canvas_svg(bounds)?;
    browser::download(filename, "image/svg+xml", &svg)
}

/// Draws the SVG on a canvas at twice its size (crisp on high-density screens) and offers
/// the PNG. Asynchronous: the image decodes first; `done` hears of any failure.
pub fn export_png(bounds: Rect, filename: &str, done: impl Fn(Result<(), String>) + 'static) {
    let svg = match canvas_svg(bounds) {
        Ok(svg) => svg,
        Err(err) => return done(Err(err)),
    };
    let Ok(image) = HtmlImageElement::new() else { return done(Err("the browser cannot draw images".into())) };
    let frame = bounds.inflated(24.0);
    let filename = filename.to_string();
    let done = std::rc::Rc::new(done);
    let onload = {
        let image = image.clone();
        let done = done.clone();
        Closure::<dyn FnMut()>::new(move || {
            let result = (|| -> Result<(), String> {
                let document = web_sys::window().and_then(|it| it.document()).ok_or("no document")?;
                let canvas: HtmlCanvasElement =
                    document.create_element("canvas").map_err(|_| "no canvas")?.unchecked_into();
                let scale = 2.0;
                let (w, h) = ((frame.w.max(1.0) * scale).min(16_000.0), (frame.h.max(1.0) * scale).min(16_000.0));
                canvas.set_width(w as u32);
                canvas.set_height(h as u32);
                let context: web_sys::CanvasRenderingContext2d =
                    canvas.get_context("2d").ok().flatten().ok_or("no 2D context")?.unchecked_into();
                context.set_fill_style_str("#ffffff");
                context.fill_rect(0.0, 0.0, w, h);
                context
                    .draw_image_with_html_image_element_and_dw_and_dh(&image, 0.0, 0.0, w, h)
                    .map_err(|_| "could not draw the design")?;
                let url = canvas.to_data_url_with_type("image/png").map_err(|_| "could not encode the PNG")?;
                browser::download_url(&filename, &url)
            })();
            done(result);
        })
    };
    let onerror = {
        let done = done.clone();
        Closure::<dyn FnMut()>::new(move || done(Err("the browser could not render the SVG".into())))
    };
    image.set_onload(Some(onload.as_ref().unchecked_ref()));
    image.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    image.set_src(&data_uri(&svg));
    onload.forget();
    onerror.forget();
}
