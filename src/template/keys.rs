//! The names of the templates' blocks, rows and columns, typed. Each key is
//! written once, beside the string it prints as; the template data
//! ([`super`]) says which block holds which rows and columns, in which
//! order, under which label. A key is the same row or column in every
//! template and table that has it (`normative` in 2019 and 2021, `total` in
//! sections 三 and 四), so reports of both templates compare by key.

/// An enum of keys, each with the string the JSON prints: `as_str` out,
/// `from_key` back in (reading JSON back), `ALL` in order (for the tests
/// that hold the vocabulary and the template data to each other). Also
/// makes the section keys ([`crate::sections::SectionKey`]) and the kinds
/// of narrative figure ([`crate::facts::FactKind`]).
macro_rules! keys {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: [$name; [$($key),*].len()] = [$($name::$variant),*];

            /// The key the JSON prints.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $key),* }
            }

            pub fn from_key(key: &str) -> Option<$name> {
                match key { $($key => Some($name::$variant),)* _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

pub(crate) use keys;

keys! {
    /// The three statistical tables (sections 二, 三, 四), in the order every
    /// template lists them: [`super::Template::tables`] is indexed by
    /// [`TableKey::index`].
    TableKey {
        Proactive = "proactive",
        Requests = "requests",
        Reviews = "reviews_and_lawsuits",
    }
}

impl TableKey {
    /// The table's place in [`super::Template::tables`] and in everything
    /// read table by table.
    pub fn index(self) -> usize {
        self as usize
    }
}

keys! {
    /// A block of section 二 (`proactive.item_1`); the other tables have one
    /// block each, which has no key.
    BlockKey {
        Item1 = "item_1",
        Item5 = "item_5",
        Item6 = "item_6",
        Item8 = "item_8",
        Item9 = "item_9",
    }
}

keys! {
    /// A row of any table of either template (data rows and group rows).
    RowKey {
        Rules = "rules",
        Normative = "normative",
        Licensing = "licensing",
        OtherServices = "other_services",
        Penalty = "penalty",
        Enforcement = "enforcement",
        Fees = "fees",
        Procurement = "procurement",
        NewReceived = "new_received",
        CarriedOver = "carried_over",
        Results = "results",
        Granted = "granted",
        PartiallyGranted = "partially_granted",
        Withheld = "withheld",
        WithheldStateSecret = "withheld_state_secret",
        WithheldProhibitedByLaw = "withheld_prohibited_by_law",
        WithheldThreeSafeties = "withheld_three_safeties",
        WithheldThirdParty = "withheld_third_party",
        WithheldInternalAffairs = "withheld_internal_affairs",
        WithheldProcessInfo = "withheld_process_info",
        WithheldEnforcementFile = "withheld_enforcement_file",
        WithheldQuery = "withheld_query",
        Unavailable = "unavailable",
        UnavailableNotHeld = "unavailable_not_held",
        UnavailableNeedsCreation = "unavailable_needs_creation",
        UnavailableUnclear = "unavailable_unclear",
        NotProcessed = "not_processed",
        NotProcessedPetition = "not_processed_petition",
        NotProcessedDuplicate = "not_processed_duplicate",
        NotProcessedPublication = "not_processed_publication",
        NotProcessedExcessive = "not_processed_excessive",
        NotProcessedConfirmation = "not_processed_confirmation",
        OtherHandling = "other_handling",
        OtherNoCorrection = "other_no_correction",
        OtherFeeUnpaid = "other_fee_unpaid",
        OtherMisc = "other_misc",
        TotalHandled = "total_handled",
        CarriedForward = "carried_forward",
        Review = "review",
        LawsuitDirect = "lawsuit_direct",
        LawsuitAfterReview = "lawsuit_after_review",
    }
}

keys! {
    /// A column of any table of either template.
    ColKey {
        NewMade = "new_made",
        NewPublished = "new_published",
        TotalPublished = "total_published",
        Issued = "issued",
        Repealed = "repealed",
        InForce = "in_force",
        Previous = "previous",
        Change = "change",
        Decisions = "decisions",
        Projects = "projects",
        Amount = "amount",
        NaturalPerson = "natural_person",
        Commercial = "commercial",
        Research = "research",
        SocialWelfare = "social_welfare",
        LegalService = "legal_service",
        OtherOrg = "other_org",
        Total = "total",
        Upheld = "upheld",
        Corrected = "corrected",
        Other = "other",
        Pending = "pending",
    }
}
