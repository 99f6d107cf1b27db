// Writes the scores that the npm package sentiment@5.0.2 itself gives to every sentence of
// amazon.json and imdb.json, so AfinnBaselineTest can check our Java port sentence by sentence.
// Run through `data/sentiment/fetch.sh --reference` (it unpacks the package without yelp.json).
//   node afinn_reference.js <unpacked package dir> <dir with amazon.json and imdb.json>
'use strict';
const fs = require('fs');
const path = require('path');
const [pkgDir, dataDir] = process.argv.slice(2);
const Sentiment = require(path.resolve(pkgDir, 'lib/index.js'));
const sentiment = new Sentiment();

const out = {package: 'sentiment@5.0.2'};
for (const source of ['amazon', 'imdb']) {
  const rows = JSON.parse(fs.readFileSync(path.join(dataDir, source + '.json'), 'utf8'));
  // Mirrors test/benchmark/validate.js: positive iff comparative (= score / tokens) >= 0,
  // and every entry counts, including the trailing {"text": "", "class": null} sentinel.
  let pass = 0;
  const scores = [];
  for (const r of rows) {
    const a = sentiment.analyze(r.text);
    scores.push(a.score);
    const positive = a.comparative >= 0;
    if (r.class === 0 ? !positive : positive) pass++;
  }
  out[source] = {entries: rows.length, validateAccuracy: pass / rows.length, scores: scores};
}
process.stdout.write(JSON.stringify(out) + '\n');
