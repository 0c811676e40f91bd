// The data order belongs to the run: two sessions on one thread with different seeds visit the
// training set in different orders, the same seed in the same order, and every epoch is a
// permutation (issue #11, bug 1: a thread_local order was shared across runs in one process).
#include "train/epochsampler.h"

#include <QTest>

#include <algorithm>
#include <numeric>

class TestSampler : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void orderIsAFunctionOfTheSeedAlone()
    {
        ra::EpochSampler first(1, 50), second(2, 50), again(1, 50);
        // Interleaved, as two runs on one worker thread would be.
        std::vector<int> a, b, c;
        for (int step = 0; step < 5; ++step) {
            for (int i : first.batch(step, 8)) a.push_back(i);
            for (int i : second.batch(step, 8)) b.push_back(i);
        }
        for (int step = 0; step < 5; ++step)
            for (int i : again.batch(step, 8)) c.push_back(i);
        QVERIFY(a != b);
        QVERIFY(a == c);
    }

    void everyEpochIsAPermutation()
    {
        ra::EpochSampler s(7, 37);
        for (int epoch = 0; epoch < 3; ++epoch) {
            std::vector<int> seen;
            for (int i = 0; i < 37; ++i) seen.push_back(s.at(int64_t(epoch) * 37 + i));
            std::sort(seen.begin(), seen.end());
            std::vector<int> all(37);
            std::iota(all.begin(), all.end(), 0);
            QCOMPARE(seen, all);
        }
        // A resumed run (a fresh sampler) continues where the first one was.
        ra::EpochSampler resumed(7, 37);
        QCOMPARE(resumed.at(80), s.at(80));
        QVERIFY(s.at(0) != s.at(37) || s.at(1) != s.at(38)); // epochs differ
    }
};

QTEST_GUILESS_MAIN(TestSampler)
#include "tst_sampler.moc"
