//! Share links: the design file, deflated and base64url-encoded, in the URL fragment
//! (`#design=v1.<payload>`), so it never reaches a server and reopens exactly.
//!
//! Decoding a malformed, truncated or foreign link returns an error that names the
//! problem; it never panics and never yields a half design.

use crate::model::{load_design, save_design, DesignFile};
use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;

/// The fragment key and version of the encoding.
pub const PREFIX: &str = "design=v1.";

/// A share link's payload can inflate to at most this many bytes (a guard against bombs).
const MAX_DESIGN_BYTES: usize = 64 * 1024 * 1024;

/// The fragment (without `#`) that carries the design.
pub fn encode_fragment(file: &DesignFile) -> String {
    // Compact JSON: the fragment is for machines; the file keeps its pretty form.
    let pretty = save_design(&file.design, &file.layout);
    let compact = match serde_json::from_str::<serde_json::Value>(&pretty) {
        Ok(value) => serde_json::to_string(&value).unwrap_or(pretty),
        Err(_) => pretty,
    };
    let deflated = compress_to_vec(compact.as_bytes(), 9);
    format!("{PREFIX}{}", base64url_encode(&deflated))
}

/// Reads a design back from a fragment (with or without the leading `#`) or a whole URL.
pub fn decode_fragment(text: &str) -> Result<DesignFile, String> {
    let fragment = match text.split_once('#') {
        Some((_, fragment)) => fragment,
        None => text,
    };
    let Some(payload) = fragment.strip_prefix(PREFIX) else {
        if fragment.starts_with("design=") {
            return Err(
                "this share link was made by a newer or unknown version of bastion-sim (expected design=v1.)".into()
            );
        }
        return Err("this link carries no design (expected a fragment starting with #design=v1.)".into());
    };
    let bytes = base64url_decode(payload.trim()).map_err(|err| format!("the share link is damaged: {err}"))?;
    let json = decompress_to_vec_with_limit(&bytes, MAX_DESIGN_BYTES)
        .map_err(|_| "the share link is damaged or truncated: its data does not decompress".to_string())?;
    let text = String::from_utf8(json).map_err(|_| "the share link is damaged: its data is not text".to_string())?;
    load_design(&text).map_err(|err| format!("the share link's design is not valid: {err}"))
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        let n_chars = chunk.len() + 1;
        for i in 0..n_chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn base64url_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut n_bits = 0;
    for (pos, ch) in text.bytes().enumerate() {
        let value = match ch {
            b'A'..=b'Z' => ch - b'A',
            b'a'..=b'z' => ch - b'a' + 26,
            b'0'..=b'9' => ch - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => return Err(format!("unexpected character '{}' at position {pos}", ch as char)),
        };
        buffer = (buffer << 6) | u32::from(value);
        n_bits += 6;
        if n_bits >= 8 {
            n_bits -= 8;
            out.push((buffer >> n_bits) as u8);
            buffer &= (1 << n_bits) - 1;
        }
    }
    if n_bits >= 6 {
        return Err("the link was cut short".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Layout;

    fn file() -> DesignFile {
        DesignFile { design: (crate::scenarios::by_name("hub-spoke").unwrap().build)(), layout: Layout::default() }
    }

    #[test]
    fn round_trips_exactly() {
        let file = file();
        let fragment = encode_fragment(&file);
        assert!(fragment.starts_with(PREFIX));
        assert_eq!(decode_fragment(&format!("http://127.0.0.1:8080/#{fragment}")).unwrap(), file);
        assert_eq!(decode_fragment(&fragment).unwrap(), file);
    }

    #[test]
    fn base64url_round_trips_every_length() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(base64url_decode(&base64url_encode(&bytes)).unwrap(), bytes);
        }
    }

    #[test]
    fn damaged_links_name_the_problem() {
        let fragment = encode_fragment(&file());
        let truncated = &fragment[..fragment.len() / 2];
        assert!(decode_fragment(truncated).unwrap_err().contains("damaged or truncated"));
        assert!(decode_fragment("#design=v1.@@@").unwrap_err().contains("unexpected character"));
        assert!(decode_fragment("#other=1").unwrap_err().contains("carries no design"));
        assert!(decode_fragment("#design=v9.abc").unwrap_err().contains("newer or unknown version"));
        let foreign = format!("{PREFIX}{}", base64url_encode(&compress_to_vec(b"{\"hello\": 1}", 9)));
        assert!(decode_fragment(&foreign).unwrap_err().contains("format"));
    }
}
