//! "We Are Redditch" (seed 004, January 2010): a partnership with a consultation, its event
//! and questionnaire version 1, for the tests of answers.

use atlas_shared::consultation::{
    AnswerValue, Channel, Choice, Consultation, ConsultationEvent, Question, QuestionKind,
    Questionnaire, Response,
};
use atlas_shared::seeds::REDDITCH;
use atlas_shared::{
    ConsultationEventId, ConsultationId, DeviceId, Entity, PartnershipId, QuestionnaireId, Seq,
};

use super::{TestServer, applied_version, create, partnership};

/// A partnership with the "We Are Redditch" consultation, its event and questionnaire
/// version 1, stored on the server.
pub struct Redditch {
    pub p: PartnershipId,
    pub c: ConsultationId,
    pub event: ConsultationEventId,
    pub v1: QuestionnaireId,
    pub v1_version: Seq,
}

pub fn questionnaire(p: PartnershipId, c: ConsultationId) -> Questionnaire {
    Questionnaire {
        partnership_id: p,
        consultation_id: c,
        version: 1,
        questions: vec![
            Question {
                key: "priorities".into(),
                text: "Which three matter most to you?".into(),
                hint: String::new(),
                required: true,
                kind: QuestionKind::RankPriorities {
                    options: Choice::list(&[
                        ("education", "Raising educational standards"),
                        ("health", "Tackling health inequalities"),
                        ("safety", "Community safety"),
                        ("housing", "Housing"),
                    ]),
                    top_n: 3,
                },
            },
            Question {
                key: "anything_else".into(),
                text: "Anything else?".into(),
                hint: String::new(),
                required: false,
                kind: QuestionKind::FreeText { max_chars: 500 },
            },
        ],
        opened_for_answers: false,
    }
}

pub async fn redditch(server: &TestServer) -> Redditch {
    let (p, mp) = partnership(REDDITCH);
    let p = PartnershipId(p);
    let (c, mc) = create(Entity::Consultation(Consultation {
        partnership_id: p,
        title: "We Are Redditch".into(),
        purpose: String::new(),
        opens_on: Some(atlas_shared::IsoDate::known(2010, 1, 1)),
        closes_on: Some(atlas_shared::IsoDate::known(2010, 1, 31)),
        suppression_threshold: 5,
        archived: false,
    }));
    let c = ConsultationId(c);
    let (event, me) = create(Entity::ConsultationEvent(ConsultationEvent {
        partnership_id: p,
        consultation_id: c,
        name: "We Are Redditch public event".into(),
        date: atlas_shared::IsoDate::known(2010, 1, 1),
        venue: "Redditch".into(),
    }));
    let (v1, mq) = create(Entity::Questionnaire(questionnaire(p, c)));
    let pushed = server.push(vec![mp, mc, me, mq]).await;
    Redditch {
        p,
        c,
        event: ConsultationEventId(event),
        v1: QuestionnaireId(v1),
        v1_version: applied_version(&pushed.results[3].outcome),
    }
}

impl Redditch {
    pub fn response(&self, device: DeviceId, answers: Vec<(&str, AnswerValue)>) -> Response {
        Response {
            partnership_id: self.p,
            consultation_id: self.c,
            questionnaire_id: self.v1,
            event_id: Some(self.event),
            device_id: device,
            channel: Channel::StaffAssisted,
            captured_at: 1_262_700_000_000,
            answers: answers
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            hidden: false,
            accepted: false,
            received_at: None,
            review: Vec::new(),
        }
    }

    /// A resident's answer through the public link.
    pub fn online(&self) -> Response {
        let mut r = self.valid(DeviceId(super::new_id()));
        r.channel = Channel::Online;
        r.event_id = None;
        r
    }

    pub fn valid(&self, device: DeviceId) -> Response {
        self.response(
            device,
            vec![
                (
                    "priorities",
                    AnswerValue::Ranked(vec!["health".into(), "education".into()]),
                ),
                (
                    "anything_else",
                    AnswerValue::Text("Call me on 07700 900123".into()),
                ),
            ],
        )
    }
}

impl Redditch {
    /// A second consultation of the partnership, with no dates, to store.
    pub fn another_consultation(&self, title: &str) -> (uuid::Uuid, atlas_shared::Mutation) {
        create(Entity::Consultation(Consultation {
            partnership_id: self.p,
            title: title.into(),
            purpose: String::new(),
            opens_on: None,
            closes_on: None,
            suppression_threshold: 5,
            archived: false,
        }))
    }

    /// One tablet's outbox as the exact bytes it sends (and sends again): `pushes` pushes of
    /// `answers` answers each, captured at the Redditch event.
    pub fn outbox(&self, pushes: usize, answers: usize) -> Vec<Vec<u8>> {
        let tablet = super::device();
        (0..pushes)
            .map(|_| {
                let mutations: Vec<_> = (0..answers)
                    .map(|_| create(Entity::Response(self.valid(tablet))).1)
                    .collect();
                serde_json::to_vec(&atlas_shared::PushRequest {
                    protocol: atlas_shared::PROTOCOL_VERSION,
                    device_id: tablet,
                    mutations,
                })
                .expect("a push body")
            })
            .collect()
    }
}
