//! Test data that trips naive code.

/// `len` bytes, the same for the same `seed`, that trip naive multipart and boundary code:
/// CRLFs, `--`-prefixed boundary-like runs (`--gapi_boundary_`, batch's `--batch_`), NULs and
/// every byte value. Compare round trips byte for byte.
///
/// ```
/// let a = gapi_testkit::data::tricky_data(4096, 7);
/// assert_eq!(a.len(), 4096);
/// assert_eq!(a, gapi_testkit::data::tricky_data(4096, 7));
/// assert!(a.windows(2).any(|w| w == b"\r\n"));
/// ```
pub fn tricky_data(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        match x % 97 {
            0 => out.extend_from_slice(b"\r\n--gapi_boundary_"),
            1 => out.extend_from_slice(b"\r\n\r\n--"),
            2 => out.extend_from_slice(b"\r\n--batch_--\r\n"),
            3 => out.push(0),
            _ => out.push((x >> 24) as u8),
        }
    }
    out.truncate(len);
    out
}
