#![allow(clippy::unwrap_used)]
use std::time::Instant;
#[tokio::main]
async fn main() {
    let url = std::env::args().nth(1).unwrap();
    let db = app::store::Db::connect(&url).await.unwrap();
    let today = app::domain::vn::vn_day(app::services::now());
    for _ in 0..3 {
        let t = Instant::now();
        let c = db
            .current_campaign("01", today * 86400)
            .await
            .unwrap()
            .unwrap();
        let t1 = t.elapsed();
        let first = c.starts_on / 86400;
        let t = Instant::now();
        let s = db.stats_of("p:01").await.unwrap();
        let t2 = t.elapsed();
        let t = Instant::now();
        let h = db.history("p:01", first - 1, c.days + 1).await.unwrap();
        let t3 = t.elapsed();
        let t = Instant::now();
        let tg = db.targets(c.id).await.unwrap();
        let t4 = t.elapsed();
        let t = Instant::now();
        let f = db.figures(c.id, None).await.unwrap();
        let t5 = t.elapsed();
        let t = Instant::now();
        let u = db.units("01").await.unwrap();
        let t6 = t.elapsed();
        let t = Instant::now();
        let us = db.unit_stats("01").await.unwrap();
        let t7 = t.elapsed();
        let t = Instant::now();
        let uo = db.unit_openings("01", first).await.unwrap();
        let t8 = t.elapsed();
        println!("campaign {t1:?} stats {t2:?} history {t3:?} targets {t4:?} figures {t5:?}({}) units {t6:?} unit_stats {t7:?} openings {t8:?} | {} {} {} {} {} {}", f.len(), s.len(), h.len(), tg.len(), u.len(), us.len(), uo.len());
    }
}
