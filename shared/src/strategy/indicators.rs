//! A small library of National Indicators from the 2008 National Indicator Set, to pick from
//! when adding a target: the code, the indicator's name and which way is better. Only
//! indicators whose code, name and direction we are sure of are listed.

use super::records::Polarity;

/// One indicator of the National Indicator Set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NationalIndicator {
    /// "NI 75".
    pub code: &'static str,
    pub name: &'static str,
    pub polarity: Polarity,
}

const fn ni(code: &'static str, name: &'static str, polarity: Polarity) -> NationalIndicator {
    NationalIndicator {
        code,
        name,
        polarity,
    }
}

use Polarity::{HigherIsBetter as Higher, LowerIsBetter as Lower};

/// The library, in code order.
pub const NATIONAL_INDICATORS: &[NationalIndicator] = &[
    ni(
        "NI 1",
        "% of people who believe people from different backgrounds get on well together in their local area",
        Higher,
    ),
    ni(
        "NI 4",
        "% of people who feel they can influence decisions in their locality",
        Higher,
    ),
    ni(
        "NI 5",
        "Overall/general satisfaction with local area",
        Higher,
    ),
    ni("NI 6", "Participation in regular volunteering", Higher),
    ni(
        "NI 8",
        "Adult participation in sport and active recreation",
        Higher,
    ),
    ni("NI 15", "Serious violent crime rate", Lower),
    ni("NI 16", "Serious acquisitive crime rate", Lower),
    ni("NI 17", "Perceptions of anti-social behaviour", Lower),
    ni("NI 20", "Assault with injury crime rate", Lower),
    ni(
        "NI 39",
        "Rate of hospital admissions per 100,000 for alcohol related harm",
        Lower,
    ),
    ni(
        "NI 47",
        "People killed or seriously injured in road traffic accidents",
        Lower,
    ),
    ni(
        "NI 56",
        "Obesity among primary school age children in Year 6",
        Lower,
    ),
    ni(
        "NI 75",
        "Achievement of 5 or more A*-C grades at GCSE or equivalent including English and Maths",
        Higher,
    ),
    ni(
        "NI 111",
        "First time entrants to the Youth Justice System aged 10 to 17",
        Lower,
    ),
    ni("NI 112", "Under 18 conception rate", Lower),
    ni("NI 116", "Proportion of children in poverty", Lower),
    ni(
        "NI 117",
        "16 to 18 year olds who are not in education, employment or training (NEET)",
        Lower,
    ),
    ni("NI 120", "All-age all cause mortality rate", Lower),
    ni("NI 151", "Overall employment rate (working-age)", Higher),
    ni(
        "NI 152",
        "Working age people on out of work benefits",
        Lower,
    ),
    ni("NI 154", "Net additional homes provided", Higher),
    ni(
        "NI 155",
        "Number of affordable homes delivered (gross)",
        Higher,
    ),
    ni(
        "NI 186",
        "Per capita reduction in CO2 emissions in the LA area",
        Higher,
    ),
    ni("NI 191", "Residual household waste per household", Lower),
    ni(
        "NI 192",
        "Percentage of household waste sent for reuse, recycling and composting",
        Higher,
    ),
    ni(
        "NI 195",
        "Improved street and environmental cleanliness (levels of graffiti, litter, detritus and fly posting)",
        Lower,
    ),
];

/// The indicator with `code` ("NI 75", "ni75" and "NI-75" alike), if the library has it.
pub fn national_indicator(code: &str) -> Option<&'static NationalIndicator> {
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .collect()
    };
    let wanted = key(code);
    NATIONAL_INDICATORS.iter().find(|n| key(n.code) == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_holds_the_indicators_of_the_issue_with_their_direction() {
        for (code, polarity) in [
            ("NI 1", Higher),
            ("NI 75", Higher),
            ("NI 120", Lower),
            ("NI 112", Lower),
            ("NI 116", Lower),
            ("NI 117", Lower),
            ("NI 152", Lower),
            ("NI 39", Lower),
            ("NI 56", Lower),
            ("NI 16", Lower),
            ("NI 195", Lower),
            ("NI 192", Higher),
        ] {
            let found = national_indicator(code).map(|n| n.polarity);
            assert_eq!(found, Some(polarity), "{code}");
        }
        assert_eq!(national_indicator("ni75").map(|n| n.code), Some("NI 75"));
        assert_eq!(national_indicator("NI 7"), None);
        assert_eq!(national_indicator("İẞ😀"), None);
    }

    #[test]
    fn codes_are_distinct_and_in_order() {
        let numbers: Vec<u32> = NATIONAL_INDICATORS
            .iter()
            .filter_map(|n| n.code.strip_prefix("NI ")?.parse().ok())
            .collect();
        assert_eq!(numbers.len(), NATIONAL_INDICATORS.len());
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
    }
}
