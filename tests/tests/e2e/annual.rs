//! The annual report end to end, on the demo data: Redditch's new Sustainable Community
//! Strategy (seed 004; every figure illustrative and saying so) reported for the financial
//! year 2011/12, as the Board gives it to the Conference and the funding partners (seed 003).
//! A councillor opens it from the partnership page, chooses the year, reads each target's
//! status at the year's end (a figure dated after 31 March 2012 is not counted), the
//! highlight reports and the Board's meetings, and prints it to PDF; the public's report has
//! no highlight reports. Screenshots and the PDF land in `target/e2e-screenshots/`.

use atlas_e2e::{Harness, Role, squeeze};
use atlas_shared::seeds::REDDITCH;

/// The row of the target whose code is `code` (`NI 75`), whitespace squeezed.
fn row<'a>(rows: &'a [String], code: &str) -> &'a str {
    rows.iter()
        .find(|r| r.starts_with(&format!("{code}:")))
        .unwrap_or_else(|| panic!("the report has {code}: {rows:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_annual_report_prints() {
    let h = Harness::start().await;
    let redditch = h
        .server
        .pull_all()
        .await
        .iter()
        .find(|c| c["kind"] == "partnership" && c["fields"]["name"] == REDDITCH)
        .and_then(|c| c["id"].as_str())
        .map(str::to_owned)
        .expect("the demo data has the Redditch Partnership");

    let b = h.browser("annual").await;
    h.sign_in(&b, Some(Role::Councillor)).await;
    // From the partnership page; the last complete year first, then 2011/12 chosen.
    h.open(&b, &format!("/partnerships/{redditch}")).await;
    b.wait_for("#annual-report-link").await;
    b.click("#annual-report-link").await;
    b.wait_for("#annual-heading").await;
    b.wait_for_text(".annual-years a", "2011/12").await;
    b.click(".annual-years a[href$='/annual-report/2011']")
        .await;
    b.wait_for_path(&format!("/partnerships/{redditch}/annual-report/2011"))
        .await;
    b.wait_for_text("#annual-heading", "Annual report 2011/12")
        .await;
    b.wait_for_text(".annual-years a[aria-current=page]", "2011/12")
        .await;
    let intro = squeeze(
        &b.find("#annual-intro")
            .await
            .text()
            .await
            .unwrap_or_default(),
    );
    assert!(
        intro.contains("1 April 2011 to 31 March 2012") && intro.contains("April to March"),
        "{intro}"
    );
    let headings = b.texts(".annual-report h2.heading-l").await;
    assert_eq!(
        headings,
        [
            "Priorities and targets",
            "Key actions completed in the year",
            "Key actions overdue at the year's end",
            "Highlight reports",
            "Meetings of the Board",
        ]
    );
    b.wait_for_text(
        "#annual-strategy",
        "The strategy in force: Redditch Sustainable Community Strategy (2011 to 2014).",
    )
    .await;
    let rows = b.texts(".annual-target").await;
    assert_eq!(
        rows.len(),
        7,
        "every target of the four priorities: {rows:?}"
    );
    // 46 on 31 August 2011 against about 47 on the line to 2012's milestone: at risk.
    let gcse = row(&rows, "NI 75");
    assert!(gcse.contains("At risk"), "{gcse}");
    assert!(gcse.contains("31 August 2011: 46%"), "{gcse}");
    // The under 18 conception rate met its target on 31 December 2012, after the year: at
    // 2011/12's end it was on track, not achieved.
    let conceptions = row(&rows, "NI 112");
    assert!(
        conceptions.contains("On track") && !conceptions.contains("Achieved"),
        "{conceptions}"
    );
    assert!(
        !conceptions.contains("2012"),
        "no figure of the next year: {conceptions}"
    );
    // Serious acquisitive crime's only figure is of 31 March 2011, the year before.
    let crime = row(&rows, "NI 16");
    assert!(crime.contains("None in the year"), "{crime}");
    assert!(row(&rows, "NI 117").contains("Off track"));
    // A trajectory chart for every target that has points to draw.
    let charts = b.texts(".annual-chart svg.trajectory__chart").await;
    assert_eq!(charts.len(), 7, "a chart per target");
    // Members read the highlight reports: the Community Safety Partnership's, one submitted
    // with an escalation and one not submitted.
    let bodies = b.texts("#annual-highlights tbody th").await;
    assert_eq!(bodies, ["Redditch Community Safety Partnership"]);
    let cells = b.texts("#annual-highlights tbody td").await;
    assert_eq!(cells, ["1", "At risk (to 30 June 2011)", "1", "1"]);
    let meetings = b.texts("#annual-meetings li").await;
    assert_eq!(
        meetings,
        [
            "Partnership Management Board, 19 July 2011",
            "Partnership Management Board, 20 September 2011",
        ]
    );
    b.wait_for_text("#annual-csv", "Download the figures (CSV)")
        .await;
    b.wait_for_text("#annual-print", "Print or save as PDF")
        .await;
    b.screenshot("annual-report-2011-12").await;
    b.assert_accessible("the annual report").await;

    // Printed for the Conference on A4 portrait: a few pages, no navigation or buttons.
    let (pdf, pages) = b.print_pdf("annual-report-a4", false).await;
    let size = std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0);
    assert!(
        (1..=20).contains(&pages),
        "the annual report prints on {pages} pages: {}",
        pdf.display()
    );
    assert!(
        (5_000..20_000_000).contains(&size),
        "the PDF is {size} bytes: {}",
        pdf.display()
    );
    let hidden = b
        .eval(
            "const media = [...document.styleSheets].flatMap(s => { try { return [...s.cssRules]; } catch (e) { return []; } })
                .filter(r => r.media && r.media.mediaText === 'print');
             return media.some(r => [...r.cssRules].some(c => c.selectorText && c.selectorText.includes('.annual-controls')));",
        )
        .await;
    assert_eq!(
        hidden.as_bool(),
        Some(true),
        "the print stylesheet hides the year chooser and the buttons"
    );
    b.close().await;

    // The public reads the same report with no highlight reports (members only).
    let public = h.browser("annual-public").await;
    h.open(
        &public,
        &format!("/partnerships/{redditch}/annual-report/2011"),
    )
    .await;
    public
        .wait_for_text("#annual-heading", "Annual report 2011/12")
        .await;
    let rows = public.texts(".annual-target").await;
    assert!(row(&rows, "NI 75").contains("At risk"), "{rows:?}");
    assert!(
        public
            .eval("return document.querySelector('#annual-highlights-heading') === null;")
            .await
            .as_bool()
            .unwrap_or(false),
        "no highlight reports for the public"
    );
    public.assert_accessible("the public's annual report").await;
    public.close().await;
}
