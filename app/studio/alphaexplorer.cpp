#include "studio/alphaexplorer.h"

#include "confusionmatrixview.h"
#include "curveplot.h"
#include "embeddingmapview.h"
#include "eval/alphaselection.h"
#include "eval/setrole.h"
#include "imagegallery.h"
#include "studio/yourimagesview.h"
#include "colours.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace ra::app {
namespace {

// Whether SET is in-distribution: the explorer's ID set, or another ID set (val, test).
bool isIdSet(const QString& set, const QString& idSet)
{
    return set == idSet || isIdRole(roleOfSet(set.toStdString()));
}

// SET as the table and the set box list it: "val (ID)", "uci-8x8".
QString listedName(const QString& set, const QString& idSet)
{
    return isIdSet(set, idSet) ? QObject::tr("%1 (ID)").arg(set) : set;
}

double oodAverage(const QMap<QString, double>& acc, const QString& idSet)
{
    double sum = 0;
    int n = 0;
    for (auto it = acc.begin(); it != acc.end(); ++it)
        if (!isIdSet(it.key(), idSet)) {
            sum += *it;
            ++n;
        }
    return n ? sum / n : 0;
}

} // namespace

AlphaExplorer::AlphaExplorer(QWidget* parent)
    : QWidget(parent), m_slider(new QSlider(Qt::Horizontal)), m_alphaLabel(new QLabel), m_table(new QTableWidget(0, 2)),
      m_curve(new widgets::CurvePlot(QString(), tr("OOD average accuracy (%)"))), m_gallery(new widgets::ImageGallery),
      m_confusion(new widgets::ConfusionMatrixView), m_requestTimer(new QTimer(this)), m_imagesTimer(new QTimer(this)),
      m_yourImages(new YourImagesView), m_detailSetBox(new QComboBox), m_perClass(new QTableWidget(0, 4)),
      m_choice(new QPushButton(tr("Validation's choice: after the sweep")))
{
    // Tenths of alpha: every position is a point of the swept grid, so the numbers shown are exact
    // the moment the slider stops; the per-example views of the ID set follow within a fraction
    // of a second.
    m_curve->setLegendCorner(Qt::AlignBottom | Qt::AlignLeft); // the plane's free corner (fine-tuning is bottom right)
    m_curve->setPlaceholderText(tr("After a run finishes, the Studio sweeps alpha from 0 to 1.5:\n"
                                   "ID against OOD accuracy for every alpha appears here"));
    m_curve->setEmptyRange(0, 100, 0, 100);
    m_slider->setRange(0, int(m_grid.size()) - 1); // one position per alpha of the grid
    m_slider->setPageStep(1);
    m_slider->setTickPosition(QSlider::TicksBelow);
    m_slider->setToolTip(tr("alpha re-scales the learned weights: W = W0 (I + alpha s F). 0 is the zero-shot model, 1 "
                            "the fine-tuned one."));
    m_alphaLabel->setMinimumWidth(90);
    m_table->setHorizontalHeaderLabels({tr("Evaluation set"), tr("Accuracy")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->setVisible(false);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_requestTimer->setSingleShot(true);
    m_requestTimer->setInterval(150);
    connect(m_requestTimer, &QTimer::timeout, this, [this] {
        if (!showKnownDetail()) requestMissingDetail();
        showOrRequestMap();
    });
    m_imagesTimer->setSingleShot(true);
    m_imagesTimer->setInterval(250);
    connect(m_imagesTimer, &QTimer::timeout, this, &AlphaExplorer::requestImagePredictions);
    connect(m_yourImages, &YourImagesView::imagesChanged, this, &AlphaExplorer::requestImagePredictions);
    connect(m_slider, &QSlider::valueChanged, this, [this] {
        m_hasExact = false;
        showInterpolated();
        // Known positions show their details and map at once; otherwise ask the worker when the
        // slider rests (keyboard and clicks: soon).
        const bool detailShown = showKnownDetail(), mapShown = showKnownMap();
        if ((!detailShown || !mapShown) && !m_slider->isSliderDown()) m_requestTimer->start();
        if (!m_slider->isSliderDown()) m_imagesTimer->start();
    });
    connect(m_slider, &QSlider::sliderReleased, this, [this] {
        if (!hasDetail()) requestMissingDetail();
        showOrRequestMap();
        m_imagesTimer->start();
    });

    m_choice->setToolTip(
        tr("Chosen from the ID validation curve only, never from OOD data: the smallest alpha whose validation "
           "accuracy is within one standard error sqrt(p (1-p) / n) of the best (the one-standard-error rule)."));
    m_choice->setEnabled(false);
    connect(m_choice, &QPushButton::clicked, this, [this] { m_slider->setValue(gridIndex(m_chosenAlpha)); });
    m_detailSetBox->setToolTip(tr("The set the confusion matrix and the changed predictions come from: the ID set, or "
                                  "an OOD set to see where robustness is kept or lost"));
    m_detailSetBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    connect(m_detailSetBox, &QComboBox::currentIndexChanged, this, [this] {
        m_hasExact = false;
        nameIdSet(m_idSet);
        if (!showKnownDetail()) requestMissingDetail();
        showOrRequestMap();
    });
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("alpha")));
    top->addWidget(m_slider, 1);
    top->addWidget(m_alphaLabel);
    top->addWidget(m_choice);
    top->addWidget(new QLabel(tr("examples from")));
    top->addWidget(m_detailSetBox);
    auto* left = new QWidget;
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_table, 1);
    m_confusionTitle = new QLabel;
    leftLayout->addWidget(m_confusionTitle);
    leftLayout->addWidget(m_confusion, 2);
    // The plane above the examples' tabs, the boundary draggable: the embedding map wants room too.
    auto* right = m_planeAndExamples = new QSplitter(Qt::Vertical);
    right->addWidget(m_curve);
    m_changesTitle = new QLabel;
    // The titles wrap rather than set the tab's minimum width: unwrapped, this one alone made the
    // Studio wider than a 1366-pixel laptop screen.
    m_changesTitle->setWordWrap(true);
    m_confusionTitle->setWordWrap(true);
    nameIdSet({});
    // The ID set's changed predictions, and the user's own images, share the space below the plane.
    auto* changes = new QWidget;
    auto* changesLayout = new QVBoxLayout(changes);
    changesLayout->setContentsMargins(0, 0, 0, 0);
    changesLayout->addWidget(m_changesTitle);
    changesLayout->addWidget(m_gallery, 1);
    m_examples = new QTabWidget;
    m_examples->addTab(changes, tr("Changed predictions"));
    m_perClass->setHorizontalHeaderLabels({tr("Class"), tr("zero-shot (α=0)"), tr("now"), tr("change (points)")});
    m_perClass->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_perClass->verticalHeader()->setVisible(false);
    m_perClass->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_perClass->setSortingEnabled(true); // sort by change: the classes robustness is lost on first
    m_examples->addTab(m_perClass, tr("Per class"));
    m_map = new widgets::EmbeddingMapView;
    m_examples->addTab(m_map, tr("Embeddings"));
    connect(m_map, &widgets::EmbeddingMapView::projectionChanged, this, [this] { showOrRequestMap(); });
    m_examples->setTabToolTip(
        m_examples->count() - 1,
        tr("The set's image embeddings at alpha 0 and now, on one plane: do its classes stay apart?"));
    m_examples->addTab(m_yourImages, tr("Your images"));
    connect(m_examples, &QTabWidget::currentChanged, this, [this] {
        // Two maps side by side need more room than a row of thumbnails: half the height at least.
        const QList<int> sizes = m_planeAndExamples->sizes();
        if (embeddingMapInFront() && sizes.size() == 2 && sizes[1] < sizes[0])
            m_planeAndExamples->setSizes({(sizes[0] + sizes[1]) / 2, (sizes[0] + sizes[1]) / 2});
        showOrRequestMap();
    });
    right->addWidget(m_examples);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);
    auto* split = new QSplitter;
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    setAlpha(0.5);
}

void AlphaExplorer::requestImagePredictions()
{
    if (!m_yourImages->paths().isEmpty()) Q_EMIT imagePredictionsRequested(m_yourImages->paths(), alpha());
}

void AlphaExplorer::showPerClass(const QStringList& classNames, const AlphaDetail& d, const AlphaDetail& baseline)
{
    // Each class's accuracy from the confusion matrices' rows: at alpha 0 and now, and the change.
    auto accuracy = [](const std::vector<std::vector<int>>& confusion, size_t c) {
        if (c >= confusion.size()) return -1.0;
        double total = 0;
        for (int n : confusion[c]) total += n;
        return total > 0 && c < confusion[c].size() ? confusion[c][c] / total : -1.0;
    };
    // Sorted by value, not by text ("+1.0" before "-3.0" as text).
    struct NumberItem : QTableWidgetItem {
        using QTableWidgetItem::QTableWidgetItem;
        bool operator<(const QTableWidgetItem& other) const override
        {
            return data(Qt::UserRole).toDouble() < other.data(Qt::UserRole).toDouble();
        }
    };
    auto number = [](double value, const QString& text) {
        auto* item = new NumberItem(value < -1.5 ? QString() : text); // blank: a class without samples
        item->setData(Qt::UserRole, value);
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        return item;
    };
    m_perClass->setSortingEnabled(false);
    m_perClass->setHorizontalHeaderLabels({tr("Class (%1)").arg(d.set), tr("zero-shot (α=0)"),
                                           tr("α = %1").arg(d.alpha, 0, 'f', 2), tr("change (points)")});
    m_perClass->setRowCount(int(classNames.size()));
    for (int c = 0; c < classNames.size(); ++c) {
        const double before = accuracy(baseline.confusion, size_t(c)), now = accuracy(d.confusion, size_t(c));
        const bool known = before >= 0 && now >= 0;
        m_perClass->setItem(c, 0, new QTableWidgetItem(classNames[c]));
        m_perClass->setItem(c, 1, number(before, QStringLiteral("%1 %").arg(100 * before, 0, 'f', 1)));
        m_perClass->setItem(c, 2, number(now, QStringLiteral("%1 %").arg(100 * now, 0, 'f', 1)));
        auto* change = number(
            known ? now - before : -2,
            QStringLiteral("%1%2").arg(now >= before ? "+" : "").arg(100 * (now - before), 0, 'f', 1));
        if (known && now < before) change->setForeground(widgets::wrongColour(m_perClass->palette()));
        m_perClass->setItem(c, 3, change);
    }
    m_perClass->setSortingEnabled(true);
}

void AlphaExplorer::showYourImages() { m_examples->setCurrentWidget(m_yourImages); }

void AlphaExplorer::showEmbeddingMap()
{
    // Bringing the tab to the front asks for its map (currentChanged); in front already, ask here.
    if (embeddingMapInFront()) showOrRequestMap();
    else m_examples->setCurrentWidget(m_map);
}

bool AlphaExplorer::embeddingMapInFront() const { return m_examples->currentWidget() == m_map; }

bool AlphaExplorer::tsneChosen() const { return m_map->projection() == widgets::EmbeddingMapView::Projection::Tsne; }

void AlphaExplorer::setEmbeddingMap(const EmbeddingMap& map)
{
    if (map.alphas.size() == 2 || !map.unavailable.isEmpty())
        m_maps[mapKey(map.set, map.tsne)][map.alphas.isEmpty() ? m_slider->value() : gridIndex(map.alphas[1])] = map;
    if (map.set == detailSet() && map.tsne == tsneChosen()) showOrRequestMap();
}

void AlphaExplorer::showOrRequestMap()
{
    if (showKnownMap()) return;
    const QString set = detailSet();
    m_map->showMessage(tr("Mapping %1's embeddings at α = 0 and α = %2%3 …")
                           .arg(listedName(set, m_idSet))
                           .arg(alpha(), 0, 'f', 2)
                           .arg(tsneChosen() ? tr(" by t-SNE") : QString()));
    Q_EMIT embeddingMapRequested(alpha(), set, tsneChosen());
}

bool AlphaExplorer::showKnownMap()
{
    const QString set = detailSet();
    if (!embeddingMapInFront() || set.isEmpty() || m_sweep.isEmpty()) return true; // nothing to show or ask
    const auto known = m_maps.value(mapKey(set, tsneChosen()));
    if (known.contains(m_slider->value()) || (known.size() && !known.first().unavailable.isEmpty())) {
        const EmbeddingMap& m = known.contains(m_slider->value()) ? known[m_slider->value()] : known.first();
        if (!m.unavailable.isEmpty()) {
            m_map->showMessage(m.unavailable);
            return true;
        }
        // Short lines: the two titles side by side must fit a laptop screen's column.
        auto panel = [&](int k, const QString& title) {
            widgets::EmbeddingMapView::Panel p;
            p.title = title;
            p.caption = m.pairs ? tr("image → text R@1 %1 %\ntext → image R@1 %2 %")
                                      .arg(100 * m.accuracy[k], 0, 'f', 1)
                                      .arg(100 * m.classMeanAccuracy[k], 0, 'f', 1)
                                : tr("accuracy %1 %\nnearest class mean %2 %")
                                      .arg(100 * m.accuracy[k], 0, 'f', 1)
                                      .arg(100 * m.classMeanAccuracy[k], 0, 'f', 1);
            if (m.pairs)
                for (int i = 0; i < m.labels.size() / 2; ++i) p.links.push_back({i, i + int(m.labels.size()) / 2});
            p.points = m.points[k];
            p.labels = m.labels;
            p.predictions = m.predictions[k];
            p.classes = m.classes[k];
            p.namesAbove = m.tsne;
            return p;
        };
        const QString nearest = tr("Nearest class mean: the share of images nearer their own class's mean embedding "
                                   "than any other's — how well the features keep the classes apart, whatever the "
                                   "head makes of them.");
        const QString pairsWhat =
            tr("%1: %2 of its %3 images (one colour) and each one's first caption (the other), a line joining each "
               "pair; a cross marks an image whose own caption is not the nearest of those shown, or a caption whose "
               "image is not — R@1 among these pairs. %4")
                .arg(listedName(m.set, m_idSet))
                .arg(m.labels.size() / 2)
                .arg(m.setSize)
                .arg(m.tsne ? tr("Laid out by t-SNE (the right panel starting from the left's layout).")
                            : tr("One frame for both panels (the plane shows %1 % of their spread): whether images "
                                 "and texts lie apart (CLIP's modality gap) and how the α panel moves the pairs.")
                                  .arg(100 * m.explainedVariance, 0, 'f', 0));
        const QString what = m.pairs ? pairsWhat
            : m.tsne
            ? tr("%1: %2 of its %3 images, in their class's colour (a cross: predicted wrong), laid out by t-SNE so "
                 "that each keeps its nearest neighbours (the right panel starting from the left's layout), each "
                 "class's name above its images. Distances between clusters mean little; whether the "
                 "classes stay apart does. %4")
                  .arg(listedName(m.set, m_idSet))
                  .arg(m.labels.size())
                  .arg(m.setSize)
                  .arg(nearest)
            : tr("%1: %2 of its %3 images, in their class's colour (a cross: predicted wrong), and each class's text "
                 "embedding as its name, in one frame for both (the plane shows %4 % of their spread). %5")
                  .arg(listedName(m.set, m_idSet))
                  .arg(m.labels.size())
                  .arg(m.setSize)
                  .arg(100 * m.explainedVariance, 0, 'f', 0)
                  .arg(nearest);
        m_map->setAxesNames(m.tsne ? widgets::EmbeddingMapView::Projection::Tsne
                                   : widgets::EmbeddingMapView::Projection::Pca);
        m_map->setPanels(m.classNames, panel(0, tr("α = 0 (zero-shot)")),
                         panel(1, tr("α = %1").arg(m.alphas[1], 0, 'f', 2)), what);
        return true;
    }
    return false;
}

void AlphaExplorer::setImagePredictions(const ImagePredictions& predictions)
{
    m_yourImages->setPredictions(predictions);
}

double AlphaExplorer::alpha() const { return m_grid.at(size_t(m_slider->value())); }

int AlphaExplorer::gridIndex(double a) const
{
    int best = 0;
    for (size_t i = 0; i < m_grid.size(); ++i)
        if (std::abs(m_grid[i] - a) < std::abs(m_grid[size_t(best)] - a)) best = int(i);
    return best;
}

void AlphaExplorer::setAlpha(double a)
{
    const QSignalBlocker block(m_slider);
    m_slider->setValue(gridIndex(a));
    m_alphaLabel->setText(QStringLiteral("α = %1").arg(alpha(), 0, 'f', 2));
}

QMap<QString, double> AlphaExplorer::interpolate(double a) const
{
    QMap<QString, double> out;
    if (m_sweep.isEmpty()) return out;
    if (a <= m_sweep.front().alpha) return m_sweep.front().accuracy;
    if (a >= m_sweep.back().alpha) return m_sweep.back().accuracy;
    for (int i = 1; i < m_sweep.size(); ++i) {
        if (m_sweep[i].alpha < a) continue;
        const auto& lo = m_sweep[i - 1];
        const auto& hi = m_sweep[i];
        const double t = (a - lo.alpha) / std::max(1e-9, hi.alpha - lo.alpha);
        for (auto it = lo.accuracy.begin(); it != lo.accuracy.end(); ++it)
            out[it.key()] = *it + t * (hi.accuracy.value(it.key()) - *it);
        break;
    }
    return out;
}

QStringList AlphaExplorer::inShownOrder(QStringList sets) const
{
    // The set on the plane's x axis first, then the other ID sets (SetRole's order: validation,
    // test), then the OOD sets by name, as the training view's legend lists them.
    auto rank = [&](const QString& set) { return set == m_idSet ? -1 : int(roleOfSet(set.toStdString())); };
    std::stable_sort(sets.begin(), sets.end(), [&](const QString& a, const QString& b) { return rank(a) < rank(b); });
    return sets;
}

void AlphaExplorer::showInterpolated()
{
    m_alphaLabel->setText(QStringLiteral("α = %1").arg(alpha(), 0, 'f', 2));
    const bool exact = sweepHas(alpha());
    const QMap<QString, double> acc = interpolate(alpha());
    const QStringList sets = inShownOrder(acc.keys());
    m_table->setRowCount(int(sets.size()));
    int row = 0;
    for (const QString& set : sets) {
        m_table->setItem(row, 0, new QTableWidgetItem(listedName(set, m_idSet)));
        auto* value = new QTableWidgetItem(
            QStringLiteral("%1%2 %").arg(exact ? QString() : QStringLiteral("~")).arg(100 * acc.value(set), 0, 'f', 1));
        value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row++, 1, value);
    }
    if (!acc.isEmpty()) updateCurrentMarker(acc.value(m_idSet), oodAverage(acc, m_idSet));
}

double AlphaExplorer::shownAccuracy(const QString& set, bool* exact) const
{
    if (exact) *exact = sweepHas(alpha());
    return interpolate(alpha()).value(set);
}

bool AlphaExplorer::sweepHas(double a) const
{
    for (const auto& p : m_sweep)
        if (std::abs(p.alpha - a) < 1e-6) return true;
    return false;
}

bool AlphaExplorer::hasDetail() const
{
    return m_hasExact && std::abs(m_exact.alpha - alpha()) < 1e-6 && m_exact.set == detailSet();
}

QString AlphaExplorer::detailSet() const
{
    const QString chosen = m_detailSetBox->currentData().toString();
    return chosen.isEmpty() ? m_idSet : chosen;
}

void AlphaExplorer::setDetailSet(const QString& set)
{
    const int index = m_detailSetBox->findData(set);
    if (index >= 0) m_detailSetBox->setCurrentIndex(index);
}

void AlphaExplorer::listDetailSets(const QStringList& sets)
{
    const QString current = m_detailSetBox->currentData().toString();
    const QSignalBlocker block(m_detailSetBox);
    m_detailSetBox->clear();
    for (const QString& set : sets) m_detailSetBox->addItem(listedName(set, m_idSet), set);
    const int index = m_detailSetBox->findData(current.isEmpty() ? m_idSet : current);
    m_detailSetBox->setCurrentIndex(std::max(0, index));
}

bool AlphaExplorer::showKnownDetail()
{
    const QString set = detailSet();
    const int position = m_slider->value();
    if (set.isEmpty()) return false;
    if (set == m_idSet) {
        if (!m_details.contains(position)) return false;
        showDetail(m_details.value(position), m_baseline);
        return true;
    }
    const auto known = m_otherDetails.constFind(set);
    if (known == m_otherDetails.constEnd() || !known->contains(position) || !known->contains(0)) return false;
    showDetail(known->value(position), known->value(0));
    return true;
}

void AlphaExplorer::requestMissingDetail()
{
    const QString set = detailSet();
    if (set.isEmpty()) return;
    if (set == m_idSet) {
        Q_EMIT detailRequested(alpha(), set);
        return;
    }
    // Another set's changes are against its own zero-shot predictions: both ends are needed.
    const auto& known = m_otherDetails[set];
    if (!known.contains(0)) Q_EMIT detailRequested(0.0, set);
    if (!known.contains(m_slider->value()) && m_slider->value() != 0) Q_EMIT detailRequested(alpha(), set);
}

void AlphaExplorer::updateCurrentMarker(double id, double ood)
{
    m_curve->setSeries(tr("current α"), {100 * id}, {100 * ood});
}

void AlphaExplorer::nameIdSet(const QString& set)
{
    m_curve->setXLabel(set.isEmpty() ? tr("ID accuracy (%)") : tr("ID accuracy (%1, %)").arg(set));
    // The per-example views name the set they show: the ID set, or the OOD set chosen.
    const QString shown = detailSet();
    const QString named = shown.isEmpty() ? tr("ID")
        : isIdSet(shown, set)             ? tr("ID: %1").arg(shown)
                                          : tr("OOD: %1").arg(shown);
    m_confusionTitle->setText(tr("<b>Confusion matrix</b> (%1)").arg(named));
    m_changesTitle->setText(tr("<b>Predictions that differ from zero-shot</b> (%1zero-shot → now; ✓ right, ✗ wrong)")
                                .arg(shown.isEmpty() ? QString() : shown + QStringLiteral("; ")));
}

void AlphaExplorer::setSweep(const QVector<AlphaPoint>& points, const QVector<AlphaDetail>& details,
                             const QString& idSet)
{
    m_sweep = points;
    m_idSet = idSet;
    if (points.size() <= 1) { // a new sweep: the weights may have changed
        m_otherDetails.clear();
        m_maps.clear();
    }
    listDetailSets(inShownOrder(points.isEmpty() ? QStringList() : points.front().accuracy.keys()));
    nameIdSet(idSet);
    m_details.clear();
    for (const auto& d : details) m_details.insert(gridIndex(d.alpha), d);
    if (m_details.contains(0)) m_baseline = m_details.value(0);
    m_runCurve = {};
    m_runCurve.trainedPointName = m_trainedPointName;
    for (const auto& p : points) { // ascending alpha: the path runs from zero-shot outwards
        if (std::abs(p.alpha - 1) < 1e-9) m_runCurve.trainedIndex = int(m_runCurve.x.size());
        m_runCurve.x << 100 * p.accuracy.value(idSet);
        m_runCurve.y << 100 * oodAverage(p.accuracy, idSet);
        const bool labelled = std::abs(p.alpha * 2 - std::round(p.alpha * 2)) < 1e-6; // 0, 0.5, 1, 1.5
        m_runCurve.labels << (labelled ? QStringLiteral("α %1").arg(p.alpha, 0, 'g', 2) : QString());
    }
    drawCurves();
    showInterpolated();
    showKnownDetail();
    updateChoice();
    // A map asked for while a run trained was not sent: the new run's, once its sweep is whole.
    if (size_t(points.size()) == m_grid.size()) showOrRequestMap();
}

void AlphaExplorer::setRunCurveName(const QString& name, const QString& trainedPointName)
{
    // The curve on the plane now belongs to an earlier run: keep it when it is complete.
    if (size_t(m_runCurve.x.size()) == m_grid.size()) m_earlier[m_runCurveName] = m_runCurve;
    m_earlier.remove(name); // a new run of the same kind replaces its predecessor
    m_runCurveName = name;
    m_trainedPointName = trainedPointName;
    m_runCurve = {};
}

void AlphaExplorer::forgetEarlierCurves()
{
    m_earlier.clear();
    drawCurves();
}

void AlphaExplorer::drawCurves()
{
    m_curve->clear();
    for (auto it = m_earlier.begin(); it != m_earlier.end(); ++it)
        m_curve->setPath(it.key() + tr(" (earlier run)"), it->x, it->y);
    if (m_runCurve.x.isEmpty()) return;
    m_curve->setPath(m_runCurveName, m_runCurve.x, m_runCurve.y, m_runCurve.labels);
    for (const auto& p : m_sweep)
        if (std::abs(p.alpha) < 1e-9)
            m_curve->setSeries(tr("zero-shot (α=0)"), {100 * p.accuracy.value(m_idSet)},
                               {100 * oodAverage(p.accuracy, m_idSet)});
    // Each curve's trained model: the fine-tuned point stays on the plane beside R-Adapter's curve.
    auto markTrained = [this](const Curve& c) {
        if (c.trainedIndex >= 0 && c.trainedIndex < c.x.size())
            m_curve->setSeries(c.trainedPointName, {c.x[c.trainedIndex]}, {c.y[c.trainedIndex]});
    };
    for (const auto& c : m_earlier) markTrained(c);
    markTrained(m_runCurve);
}

void AlphaExplorer::updateChoice()
{
    // Only over the complete grid and a classification ID set with known size.
    std::map<double, double> curve;
    for (const auto& p : m_sweep)
        if (p.accuracy.contains(m_idSet)) curve[p.alpha] = p.accuracy.value(m_idSet);
    const qsizetype count = m_details.isEmpty() ? 0 : m_details.first().predictions.size();
    const bool complete = size_t(m_sweep.size()) == m_grid.size() && count > 0 &&
        curve.size() == size_t(m_sweep.size());
    m_choice->setEnabled(complete);
    if (!complete) {
        m_choice->setText(tr("Validation's choice: after the sweep"));
        return;
    }
    const AlphaChoice c = chooseAlpha(curve, count);
    m_chosenAlpha = c.oneStandardError;
    for (const auto& p : m_sweep)
        if (std::abs(p.alpha - c.oneStandardError) < 1e-6)
            m_curve->setSeries(tr("α chosen on ID validation"), {100 * p.accuracy.value(m_idSet)},
                               {100 * oodAverage(p.accuracy, m_idSet)});
    m_choice->setText(tr("Go to validation's choice, α = %1").arg(c.oneStandardError, 0, 'f', 1));
    m_choice->setToolTip(
        tr("From the %1 validation curve only: best %2 % at α = %3, standard error %4 points; the smallest α within "
           "one standard error of the best is %5 (the one-standard-error rule). OOD data is never used.")
            .arg(m_idSet)
            .arg(100 * c.bestAccuracy, 0, 'f', 1)
            .arg(c.argmax, 0, 'f', 1)
            .arg(100 * c.standardError, 0, 'f', 2)
            .arg(c.oneStandardError, 0, 'f', 1));
}

void AlphaExplorer::setSamples(const EvalSetSamples& samples) { m_samples[samples.set] = samples; }

void AlphaExplorer::setDetail(const AlphaDetail& d)
{
    if (m_idSet.isEmpty()) m_idSet = d.set;
    if (d.set != m_idSet) {
        // Another set's answer is kept by grid position: the slider comes back to it at once.
        if (std::abs(m_grid[size_t(gridIndex(d.alpha))] - d.alpha) < 1e-6)
            m_otherDetails[d.set][gridIndex(d.alpha)] = d;
        if (d.set == detailSet()) showKnownDetail();
        return;
    }
    if (std::abs(d.alpha - alpha()) > 1e-6 || d.set != detailSet()) return; // stale: the slider or the set moved on
    showDetail(d, m_baseline);
}

void AlphaExplorer::showDetail(const AlphaDetail& d, const AlphaDetail& baseline)
{
    m_exact = d;
    m_hasExact = true;
    showInterpolated();
    const EvalSetSamples& samples = m_samples[d.set];
    m_confusion->setMatrix(samples.classNames, d.confusion);
    // Every sample whose prediction differs from zero-shot, dealt out class by class so the
    // gallery shows the variety of changes instead of the first class's.
    QList<widgets::ImageGallery::Item> flips;
    if (baseline.predictions.size() == d.predictions.size() && samples.labels.size() == d.predictions.size()) {
        QMap<int, QList<widgets::ImageGallery::Item>> byClass;
        for (int i = 0; i < d.predictions.size(); ++i) {
            if (d.predictions[i] == baseline.predictions[i]) continue;
            const QString before = samples.classNames.value(baseline.predictions[i]);
            const QString now = samples.classNames.value(d.predictions[i]);
            const int label = samples.labels[i];
            const bool right = d.predictions[i] == label;
            byClass[label].push_back(
                {samples.paths[i],
                 QStringLiteral("%1 → %2 %3").arg(before, now, right ? QStringLiteral("✓") : QStringLiteral("✗")),
                 tr("%1\ntrue class %2; zero-shot said %3; at α = %4: %5 (%6)")
                     .arg(samples.paths[i], samples.classNames.value(label), before)
                     .arg(d.alpha, 0, 'f', 2)
                     .arg(now, right ? tr("now right") : tr("now wrong")),
                 !right});
        }
        for (int round = 0; flips.size() < 60; ++round) {
            bool any = false;
            for (const auto& items : byClass)
                if (round < items.size() && flips.size() < 60) {
                    flips.push_back(items[round]);
                    any = true;
                }
            if (!any) break;
        }
    }
    m_gallery->setItems(flips);
    showPerClass(samples.classNames, d, baseline);
}

} // namespace ra::app
