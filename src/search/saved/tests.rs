use super::*;
use crate::search::analyze::{analyze, Detail, PageSource};
use crate::search::lexicon::Lexicon;
use crate::search::next::push;
use crate::search::record::numbered;

fn push_str(out: &mut Vec<u8>, s: &str) {
    push(out, s.len() as u32);
    out.extend_from_slice(s.as_bytes());
}

fn page<'a>(url: &'a str, title: &'a str, body: &'a str) -> PageSource<'a> {
    PageSource {
        url,
        title,
        path: vec!["Plan van aanpak"],
        body_html: body,
        details: vec![Detail {
            label: "Acties".into(),
            anchor: Some("pb-actions".into()),
            lines: vec!["A1 · Cameratoezicht plaatsen · Gemeente".into()],
        }],
    }
}

const BODY: &str = "<h2 id=\"doel\">Doelen</h2><p>De jongeren van de groep plegen straatroven; \
    het gebiedsverbod wordt geëvalueerd. Jongeren, jongere &amp; \"citaat\".</p>";

/// The terms of `page` analysed in a fresh lexicon after `warm` pages, so that its stems get
/// other numbers than in the lexicon the record was written in.
fn analysed(warm: &[&PageSource], page: &PageSource, number: u32) -> (Lexicon, PageTerms) {
    let lexicon = Lexicon::default();
    for (i, p) in warm.iter().enumerate() {
        analyze(i as u32, p, &lexicon, None);
    }
    let terms = analyze(number, page, &lexicon, Some(key(page)));
    (lexicon, terms)
}

#[test]
fn a_record_reads_back_as_the_analysis_in_another_lexicon() {
    let p = page("a/b.html", "Straatroven in de wijk", BODY);
    let other = page("c.html", "Iets anders", "<p>Zomaar een tekst over de wijk en financiën.</p>");
    let (_, written) = analysed(&[], &p, 3);
    let (_, record) = written.saved.clone().expect("a record");
    assert_eq!(numbered(&record), Some(3));
    // Read back where other words were numbered first, as page 7.
    let (lexicon, _) = analysed(&[&other], &other, 0);
    let restored = restore(&record, 7, &written.doc, &lexicon).expect("restored");
    let fresh = analyze(7, &p, &lexicon, None);
    assert_eq!(restored.terms, fresh.terms);
    assert_eq!(restored.pairs, fresh.pairs);
    assert_eq!(restored.length, fresh.length);
    assert_eq!(restored.doc, fresh.doc);
    assert!(fresh.doc.starts_with("[7,"), "{}", fresh.doc);
}

#[test]
fn the_words_of_a_restored_page_enter_the_lexicon() {
    let p = page("a.html", "Titelwoord", BODY);
    let (_, written) = analysed(&[], &p, 0);
    let (_, record) = written.saved.expect("a record");
    let lexicon = Lexicon::default();
    restore(&record, 0, &written.doc, &lexicon).expect("restored");
    let words = lexicon.into_words();
    for w in ["straatroven", "titelwoord", "geevalueerd", "cameratoezicht"] {
        assert!(words.words.contains_key(w), "{w} missing");
    }
}

#[test]
fn a_damaged_record_is_analysed_again() {
    let p = page("a.html", "Titel", BODY);
    let (_, written) = analysed(&[], &p, 0);
    let (_, record) = written.saved.clone().expect("a record");
    let lexicon = Lexicon::default();
    let doc = written.doc.as_str();
    for cut in [0, 1, 4, record.len() / 2, record.len() - 1] {
        assert!(restore(&record[..cut], 0, doc, &lexicon).is_none(), "cut at {cut}");
    }
    let mut longer = record.clone();
    longer.push(0);
    assert!(restore(&longer, 0, doc, &lexicon).is_none());
    // Another page's document, or one cut short of its number, is not taken for this one's.
    assert!(restore(&record, 0, &doc.replacen("[0,", "[1,", 1), &lexicon).is_none());
    assert!(restore(&record, 0, "[0", &lexicon).is_none());
    // Every single byte changed: no panic, and whatever reads back is whole.
    for i in 0..record.len() {
        let mut bad = record.clone();
        bad[i] ^= 0x55;
        if let Some(t) = restore(&bad, 0, doc, &lexicon) {
            assert!(t.terms.windows(2).all(|w| w[0].0 < w[1].0));
        }
    }
}

#[test]
fn a_record_with_a_word_that_is_not_one_is_refused() {
    let mut record = 0u32.to_le_bytes().to_vec();
    push(&mut record, 1);
    push(&mut record, 1);
    push_str(&mut record, "twee woorden");
    push(&mut record, 0);
    push(&mut record, 1);
    push(&mut record, 8);
    push(&mut record, 0);
    let doc = "[0,\"u\",\"t\",[],[],\"\",[]]";
    assert!(restore(&record, 0, doc, &Lexicon::default()).is_none());
}

fn temp_file(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(name);
    (dir, path)
}

#[test]
fn a_written_file_gives_its_records_back_by_key() {
    let (_dir, path) = temp_file("saved");
    let mut w = SavedWriter::new(File::create(&path).expect("create")).expect("writer");
    let records: Vec<(Key, Vec<u8>)> = (0u8..50).map(|i| ([i.wrapping_mul(37); 32], vec![i; i as usize])).collect();
    for (k, r) in &records {
        w.append(*k, r);
    }
    w.finish().expect("finish");
    let r = SavedReader::open(File::open(&path).expect("open")).expect("reader");
    for (k, rec) in &records {
        assert_eq!(r.get(k).as_ref(), Some(rec));
    }
    assert_eq!(r.get(&[255; 32]), None);
}

/// The bytes of a finished file of one record, written at `path`.
fn one_record(path: &std::path::Path) -> Vec<u8> {
    let mut w = SavedWriter::new(File::create(path).expect("create")).expect("writer");
    w.append([1; 32], b"abc");
    w.finish().expect("finish");
    std::fs::read(path).expect("read")
}

#[test]
fn a_file_cut_short_or_unfinished_is_not_read() {
    let (_dir, path) = temp_file("saved");
    let whole = one_record(&path);
    for cut in [0, 8, 40, whole.len() - 1] {
        std::fs::write(&path, &whole[..cut]).expect("write");
        assert!(SavedReader::open(File::open(&path).expect("open")).is_none(), "cut at {cut}");
    }
    // A file whose writer did not finish.
    let mut w = SavedWriter::new(File::create(&path).expect("create")).expect("writer");
    w.append([1; 32], b"abc");
    drop(w);
    assert!(SavedReader::open(File::open(&path).expect("open")).is_none());
    // Another planboek's stamp.
    let mut other = whole.clone();
    other[8] ^= 1;
    std::fs::write(&path, &other).expect("write");
    assert!(SavedReader::open(File::open(&path).expect("open")).is_none());
}

#[test]
fn an_index_pointing_outside_the_records_is_not_read() {
    let (_dir, path) = temp_file("saved");
    let whole = one_record(&path);
    // The entry's length is the four bytes before the footer.
    let at = whole.len() - 24 - 4;
    let mut bad = whole.clone();
    bad[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    std::fs::write(&path, &bad).expect("write");
    assert!(SavedReader::open(File::open(&path).expect("open")).is_none());
}
