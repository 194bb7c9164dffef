//! Hexadecimal digits, written directly: the record's hashes (which the server writes for every
//! record it chains), JSON's `\u00XX` escapes and the cookie's `%XX` escapes.

const LOWER: &[u8; 16] = b"0123456789abcdef";
const UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Lower-case hexadecimal, two digits per byte.
pub fn hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        push_lower(&mut text, *byte);
    }
    text
}

/// Appends `byte` as two lower-case digits.
pub fn push_lower(text: &mut String, byte: u8) {
    text.push(char::from(LOWER[usize::from(byte >> 4)]));
    text.push(char::from(LOWER[usize::from(byte & 0x0f)]));
}

/// Appends `byte` as two upper-case digits, as percent-encoding writes them.
pub fn push_upper(text: &mut String, byte: u8) {
    text.push(char::from(UPPER[usize::from(byte >> 4)]));
    text.push(char::from(UPPER[usize::from(byte & 0x0f)]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_digits_per_byte_in_either_case() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(hex(&[]), "");
        let mut text = String::new();
        push_upper(&mut text, 0xa5);
        push_lower(&mut text, 0x0b);
        assert_eq!(text, "A50b");
    }
}
