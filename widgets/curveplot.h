#pragma once
// A QCustomPlot with named series that grow point by point: legend, wheel zoom and drag pan,
// hover read-out of the nearest point, replots coalesced to at most ~20 per second, and export
// as PNG, SVG or PDF.
#include <QHash>
#include <QMap>
#include <QPointF>
#include <QRectF>
#include <QTimer>
#include <QWidget>

#include <optional>
#include <utility>

class QCustomPlot;
class QCPCurve;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QCPLayoutGrid;

namespace ra::widgets {

class CurvePlot : public QWidget {
    Q_OBJECT
public:
    explicit CurvePlot(const QString& xLabel, const QString& yLabel, QWidget* parent = nullptr);
    ~CurvePlot() override;

    void addPoint(const QString& series, double x, double y);
    void setSeries(const QString& series, const QVector<double>& x, const QVector<double>& y);
    // A parametric curve drawn through the points in the order given (x need not increase): an
    // interpolation path on the ID-vs-OOD plane, alpha by alpha. LABELS, when given, are written
    // beside the points ("α 0.5"), each on the side where it hides no point and no other label —
    // up to kMostWrittenLabels of them; more would cover each other (and placing them costs the
    // square of their number on every redraw), so the hover read-out names the point instead.
    // Setting a series again replaces its points and its labels.
    static constexpr int kMostWrittenLabels = 60;
    static constexpr int kMostLegendEntries = 24; // beyond: no legend, the hover read-out names the curve
    void setPath(const QString& series, const QVector<double>& x, const QVector<double>& y,
                 const QStringList& labels = {});
    // Points with no line between them (one per run, say), labelled as setPath labels them.
    void setScatter(const QString& series, const QVector<double>& x, const QVector<double>& y,
                    const QStringList& labels = {});
    // A logarithmic x axis (learning rates, weight decays), or a linear one again.
    void setLogX(bool logarithmic);
    bool isLogX() const { return m_logX; }
    // Both axes in logit scale, as the WiSE-FT paper's figures and wise-ft's scatter_plot.py draw
    // the ID-vs-OOD plane: values stay percentages (as given, as read out, as labelled on the
    // axes) but sit at logit(p / 100), so equal distances are equal changes in the odds of being
    // right, the points near 100 % spread out, and robustness trends that bend in percent become
    // nearly straight. Off again: linear percentages. Applies to every series, before or after.
    void setLogitAxes(bool logit);
    bool hasLogitAxes() const { return m_logit; }
    // Where a point given in the series' own units lands in axis coordinates (tests).
    QPointF axisPoint(double x, double y) const;
    // SERIES gets a companion series SMOOTHED: the exponential moving average of its points with
    // WEIGHT in [0, 1) (TensorBoard's smoothing; 0 repeats the points), bias-corrected so that it
    // starts at the first point; SERIES itself is drawn faint behind it. Points added to SERIES
    // extend it; calling this again redraws it with the new weight.
    void setSmoothing(const QString& series, const QString& smoothed, double weight);
    // The smoothed companion's value at point I of SERIES (tests).
    double smoothedValue(const QString& series, int i) const;
    // A shaded band from LOWER to UPPER at each x behind SERIES, in its colour (a mean ± one
    // standard deviation over seeds); not in the legend. Setting it again replaces it.
    void setBand(const QString& series, const QVector<double>& x, const QVector<double>& lower,
                 const QVector<double>& upper);
    bool hasBand(const QString& series) const { return m_bands.contains(series); }
    void clear();
    // A dashed vertical line across the plot at X, with LABEL at its top: a step the curves are
    // read against (the one whose weights an early-stopped run keeps). Not a series: no legend
    // entry, no say in the axes' range. Setting it again moves it; clear() removes it.
    void setMarker(const QString& label, double x);
    bool hasMarker() const { return m_marker != nullptr; }
    double markerX() const; // tests
    QString markerLabel() const;
    // A ring around SERIES' point nearest X, in the series' colour: the step an early-stopped run
    // keeps, where several runs share the plot and one marker line would not say whose it is. Not
    // a series: no legend entry. Setting it again moves it; clear() removes it.
    void ringPoint(const QString& series, double x);
    // The ringed point of SERIES in its own units (tests); null when it has none.
    std::optional<QPointF> ringedPoint(const QString& series) const;
    int pointCount(const QString& series) const;
    QStringList seriesNames() const { return m_graphs.keys() + m_paths.keys(); }
    void setYRange(double lower, double upper);
    // The axes' range while the plot has no curve (say steps 0 to the run's steps, 0–100 %), in
    // the series' own units, instead of an arbitrary one; the curves set it once they come.
    void setEmptyRange(double xLower, double xUpper, double yLower, double yUpper);
    // The x-axis spans at least LOWER..UPPER while curves are drawn, the data extending it (the
    // training plots: the run's steps, so that the loss and accuracy plots show the same steps and
    // the curves grow across a fixed frame). clear() forgets it.
    void setMinimumXRange(double lower, double upper);
    // This plot's axes keep LEADER's left and right edges on screen, where its own labels fit in
    // that room (stacked plots over one x-axis, as the training view's loss under its accuracy,
    // whose legend column beside the axes would otherwise make the two frames differ in width).
    void alignAxesWith(CurvePlot* leader);
    void setXLabel(const QString& label);
    void setYLabel(const QString& label);
    // The corner of the axes the legend prefers (default bottom right, empty under rising curves).
    // It sits there whenever it hides no point and no line there; where it would, it moves to the
    // corner that hides the least (matplotlib's loc="best"), and stays put until another corner
    // hides less than half as much, so a growing curve does not make it jump at every point.
    void setLegendCorner(Qt::Alignment corner);
    Qt::Alignment legendCorner() const; // where it is now (tests)
    // The legend in a column of its own right of the axes, for plots whose curves fill every
    // corner (the training view's many evaluation sets). The column is there only while a curve
    // is: an empty one would still take its margins from the axes.
    void setLegendBesideAxes();
    // Marker size of the series created from now on (default 4 px; larger for one-point series).
    void setPointSize(double pixels) { m_pointSize = pixels; }
    // A grey hint in the middle of the plot while it has no curve ("Start a run to see …").
    void setPlaceholderText(const QString& text);
    // Writes the plot; the format follows the extension (.png, .svg, .pdf). Returns false with
    // ERROR set when it cannot.
    bool exportTo(const QString& path, QString* error = nullptr);
    QCustomPlot* plot() const { return m_plot; }
    // The text the hover read-out would show for plot coordinates (x, y) (for tests too).
    QString readout(double x, double y) const;

protected:
    void changeEvent(QEvent* event) override; // a new palette: the plot's colours follow it

private:
    QCPGraph* graph(const QString& series);
    // Every write of points goes through these: they keep the points as given (m_given) and put
    // them on the axes through axisPoint, so that switching the scale can place them again. keep:
    // PLOTTABLE's points kept as given and returned on the axes.
    std::pair<QVector<double>, QVector<double>> keep(const void* plottable, const QVector<double>& x,
                                                     const QVector<double>& y);
    void setGraphPoints(QCPGraph* g, const QVector<double>& x, const QVector<double>& y);
    void addGraphPoint(QCPGraph* g, double x, double y);
    void setCurvePoints(QCPCurve* c, const QVector<double>& x, const QVector<double>& y);
    void placeAll(); // every plottable and label again, after the scale changed
    void scheduleReplot();
    void onMouseMove(QMouseEvent* event);
    // After each layout step, when the axes map coordinates to this draw's pixels: the legend's
    // corner, then the path labels around the points and the legend.
    void placeLegendAndLabels();
    QPointF pixel(double key, double value) const; // a point on the axes, in this draw's pixels
    QList<QRectF> dataRects() const;               // every series' markers and lines (sampled), in pixels
    void placeLegend(const QList<QRectF>& data);
    void placePathLabels(const QList<QRectF>& obstacles);
    void wrapPlaceholder(); // the hint's words in lines that fit the axes' width
    void showLegendColumn(bool shown);

    QCustomPlot* m_plot;
    QMap<QString, QCPGraph*> m_graphs;
    QMap<QString, QCPCurve*> m_paths;
    QList<QCPItemText*> m_pathLabels;
    QMap<QString, QStringList> m_pointNames; // by path: its labels, named by the hover read-out
    QTimer m_replotTimer;
    bool m_fixedY = false;
    bool m_logX = false;
    bool m_logit = false;
    QHash<const void*, QVector<QPointF>> m_given; // by plottable: its points in the series' units
    std::pair<double, double> m_yRange;
    std::optional<std::pair<QPointF, QPointF>> m_emptyRange; // lower left, upper right
    std::optional<std::pair<double, double>> m_minimumXRange;
    QCPItemText* m_placeholder = nullptr;
    QString m_placeholderText; // as given; m_placeholder shows it wrapped to the axes
    QCPItemStraightLine* m_marker = nullptr;
    QCPItemText* m_markerLabel = nullptr;
    void styleMarker();
    void placeMarkerLabel();
    QCPLayoutGrid* m_legendColumn = nullptr; // setLegendBesideAxes(); in the plot's layout while it has curves
    Qt::Alignment m_legendCorner = Qt::AlignBottom | Qt::AlignRight; // preferred, setLegendCorner()
    double m_pointSize = 4;
    struct Smoothing {
        QString name;
        double weight = 0;
        double ema = 0; // the average so far, without its bias correction
        int count = 0;  // points averaged
        // Takes point Y into the average and returns it bias-corrected: ema / (1 - w^count).
        double add(double y);
    };
    QMap<QString, Smoothing> m_smoothing;                   // by raw series
    QMap<QString, std::pair<QCPGraph*, QCPGraph*>> m_bands; // by series: lower, upper edge
    QMap<QString, QCPGraph*> m_rings;                       // by series: ringPoint's one point
    void redrawSmoothed(const QString& series);
    void styleSmoothed(const QString& series);
};

} // namespace ra::widgets
