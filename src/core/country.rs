//! Countries where a service's provider processes data (ISO 3166-1 alpha-2), and what a
//! transfer there needs under Swiss and EU law. The countries' names are policy text, in
//! the fetched policy files, not here.

/// Every officially assigned ISO 3166-1 alpha-2 code, two letters each, sorted.
const ASSIGNED: &str = "ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQBRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDMDODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGSGTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKNKPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQMRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPMPNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSVSXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVIVNVUWFWSYEYTZAZMZW";

/// The 27 EU member states and Iceland, Liechtenstein and Norway.
const EEA: [&str; 30] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT",
    "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// Countries that both Switzerland (FDPO annex 1) and the EU (adequacy decisions) recognise
/// as protecting personal data adequately. A site that serves both needs both: a country
/// only one of them lists still needs contractual clauses.
const ADEQUATE: [&str; 11] = ["AD", "AR", "CA", "FO", "GB", "GG", "IL", "IM", "JE", "NZ", "UY"];

/// What makes a transfer outside Switzerland and the EEA lawful.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Safeguard {
    /// The country is recognised as protecting data adequately.
    Adequacy,
    /// The US provider is certified under the Swiss-US and EU-US Data Privacy Framework.
    Dpf,
    /// Standard contractual clauses (the EU's, with the Swiss amendments).
    Scc,
}

impl Safeguard {
    pub const NAMES: [&str; 3] = ["adequacy", "dpf", "scc"];

    pub fn parse(name: &str) -> Option<Safeguard> {
        match name {
            "adequacy" => Some(Safeguard::Adequacy),
            "dpf" => Some(Safeguard::Dpf),
            "scc" => Some(Safeguard::Scc),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Safeguard::Adequacy => "adequacy",
            Safeguard::Dpf => "dpf",
            Safeguard::Scc => "scc",
        }
    }
}

/// Whether `code` is an assigned ISO 3166-1 alpha-2 code (upper case).
pub fn is_assigned(code: &str) -> bool {
    code.len() == 2 && ASSIGNED.as_bytes().chunks(2).any(|pair| pair == code.as_bytes())
}

/// Every assigned code, for the completeness test of the countries' names.
pub fn assigned() -> impl Iterator<Item = &'static str> {
    (0..ASSIGNED.len()).step_by(2).map(|start| &ASSIGNED[start..start + 2])
}

/// Switzerland and the EEA recognise each other: data flows between them freely.
pub fn is_home(code: &str) -> bool {
    code == "CH" || EEA.contains(&code)
}

pub fn has_adequacy(code: &str) -> bool {
    ADEQUATE.contains(&code)
}

/// Why `safeguard` does not fit a transfer to `country`, if it does not; `None` for a
/// safeguard left out where one is needed too.
pub fn safeguard_problem(country: &str, safeguard: Option<Safeguard>) -> Option<String> {
    match (is_home(country), has_adequacy(country), country == "US", safeguard) {
        (true, _, _, None) | (false, true, _, None | Some(Safeguard::Adequacy | Safeguard::Scc)) => None,
        (true, _, _, Some(_)) => Some(format!(
            "`{country}` is in Switzerland or the EEA: no transfer safeguard is needed, leave `safeguard` out"
        )),
        (false, _, true, Some(Safeguard::Dpf | Safeguard::Scc)) | (false, false, false, Some(Safeguard::Scc)) => None,
        (false, _, true, _) => Some(
            "a transfer to `US` needs `dpf` (the provider is certified under the Data Privacy Framework) or `scc`"
                .to_string(),
        ),
        (false, _, false, Some(Safeguard::Dpf)) => {
            Some(format!("`dpf` applies to providers in the US only; for `{country}` use `scc`"))
        }
        (false, false, false, _) => Some(format!(
            "`{country}` has no adequacy decision recognised by both Switzerland and the EU: a transfer there needs `scc`"
        )),
    }
}

/// The safeguard a service's transfer rests on: none inside Switzerland and the EEA, the
/// adequacy decision where the site gave none for an adequate country.
pub fn effective_safeguard(country: &str, given: Option<Safeguard>) -> Option<Safeguard> {
    if is_home(country) { None } else { given.or(has_adequacy(country).then_some(Safeguard::Adequacy)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_assigned_codes_only() {
        assert_eq!(assigned().count(), 249);
        for code in ["CH", "US", "IE", "GB", "ZW", "AD"] {
            assert!(is_assigned(code), "{code}");
        }
        for code in ["UK", "EU", "XK", "ch", "C", "CHE", ""] {
            assert!(!is_assigned(code), "{code}");
        }
        assert!(EEA.iter().chain(&ADEQUATE).all(|code| is_assigned(code)));
    }

    #[test]
    fn a_transfer_needs_the_safeguard_its_country_calls_for() {
        let ok = |country, safeguard| safeguard_problem(country, safeguard).is_none();
        assert!(ok("CH", None) && ok("IE", None) && ok("NO", None));
        assert!(!ok("DE", Some(Safeguard::Scc)));
        assert!(ok("GB", None) && ok("GB", Some(Safeguard::Adequacy)) && ok("GB", Some(Safeguard::Scc)));
        assert!(!ok("GB", Some(Safeguard::Dpf)));
        assert!(ok("US", Some(Safeguard::Dpf)) && ok("US", Some(Safeguard::Scc)));
        assert!(!ok("US", None) && !ok("US", Some(Safeguard::Adequacy)));
        assert!(ok("IN", Some(Safeguard::Scc)));
        for safeguard in [None, Some(Safeguard::Adequacy), Some(Safeguard::Dpf)] {
            assert!(!ok("IN", safeguard), "{safeguard:?}");
        }
        assert_eq!(effective_safeguard("GB", None), Some(Safeguard::Adequacy));
        assert_eq!(effective_safeguard("CH", None), None);
        assert_eq!(effective_safeguard("US", Some(Safeguard::Dpf)), Some(Safeguard::Dpf));
    }
}
