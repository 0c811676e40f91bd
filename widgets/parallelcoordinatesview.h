#pragma once
// Parallel coordinates over runs (TensorBoard's HParams view): one vertical axis per chosen
// setting or result, each run a line through its values, coloured by the last axis (a result,
// so the good runs stand out and the settings they share line up) or by the axis whose name was
// clicked. Hovering a line names its run and values; clicking one reports the run, so the runs
// table can select it; dragging along an axis brushes a range of it, which stays drawn, and
// reports the runs inside every brushed range (the top of the OOD average and of ID accuracy,
// say: the runs good at both, and then what their settings are); clicking a brushed axis away
// from any line removes its brush. The runs selected in the table are drawn bold here.
#include "parallelaxes.h"

#include <QList>
#include <QMap>
#include <QWidget>

class QCustomPlot;
class QCPColorScale;
class QCPItemRect;
class QCPItemText;
class QMouseEvent;

namespace ra::widgets {

class ParallelCoordinatesView : public QWidget {
    Q_OBJECT
public:
    struct Line {
        qint64 run = 0;
        QStringList values; // per axis, as text; empty where the run has no value
    };

    explicit ParallelCoordinatesView(QWidget* parent = nullptr);

    // One line per run across the axes NAMES. The brushes go (their heights meant other values);
    // the colouring axis stays where NAMES still has it, else it is the last.
    void setLines(const QStringList& names, const QVector<Line>& lines);
    // The axis that colours the lines (a click on its name chooses it).
    void setColourAxis(int axis);
    int colourAxis() const { return m_colourAxis; }
    void setHighlighted(const QList<qint64>& runs);
    void setPlaceholderText(const QString& text);

    QCustomPlot* plot() const { return m_plot; }
    const QVector<ParallelAxis>& axes() const { return m_axes; }
    int lineCount() const { return int(m_lines.size()); }
    // RUN's line: its height on each axis, 0 (bottom) to 1 (top), NaN where it has no value.
    QVector<double> heights(qint64 run) const;
    bool isHighlighted(qint64 run) const { return m_highlighted.contains(run); }
    // The run whose line passes within a few pixels of POS (the plot's pixels); -1 when none.
    qint64 runAt(const QPointF& pos) const;
    // What hovering RUN's line shows: the run and its value on every axis.
    QString readout(qint64 run) const;
    // The brushed ranges by axis (heights, low and high), and the runs inside all of them (none
    // while nothing is brushed).
    const QMap<int, std::pair<double, double>>& brushes() const { return m_brushes; }
    QList<qint64> brushedRuns() const;

Q_SIGNALS:
    // A line was clicked; ADDING when Ctrl was held (add it to the selection).
    void runClicked(qint64 run, bool adding);
    // A range of an axis was brushed or a brush removed: the runs inside every brushed range,
    // none when no brush is left (ADDING: Ctrl was held).
    void runsBrushed(const QList<qint64>& runs, bool adding);

protected:
    void changeEvent(QEvent* event) override; // a new palette: redrawn in its colours

private:
    void redraw();
    void onMouseMove(QMouseEvent* event);
    void onMousePress(QMouseEvent* event);
    void onMouseRelease(QMouseEvent* event);
    // The axis whose line is within a few pixels of X (the plot's pixels); -1 when none.
    int axisAt(double x) const;

    QCustomPlot* m_plot;
    QCPColorScale* m_colourScale;
    QCPItemText* m_placeholder;
    QVector<ParallelAxis> m_axes;
    QVector<Line> m_lines;
    QVector<QVector<double>> m_heights; // per line, per axis: made once in setLines, read on every mouse move
    QList<qint64> m_highlighted;
    // A press near an axis: a drag from it brushes that axis; no drag is a click.
    struct Brush {
        int axis = -1;
        QPointF pressed;         // pixels
        double from = 0, to = 0; // heights
        bool dragging = false;
    };
    Brush m_brush;
    QCPItemRect* m_brushRect = nullptr; // while a brush is dragged
    QMap<int, std::pair<double, double>> m_brushes;
    int m_colourAxis = -1;
};

} // namespace ra::widgets
