#pragma once
// A confusion matrix drawn as a heat map: rows are true classes, columns predictions; each cell
// shows its count, shaded by the row's fraction. Where the cells are too small to read (many
// classes), one image of the shading, and a tooltip names the cell under the pointer.
#include <QImage>
#include <QStringList>
#include <QWidget>

namespace ra::widgets {

class ConfusionMatrixView : public QWidget {
    Q_OBJECT
public:
    explicit ConfusionMatrixView(QWidget* parent = nullptr);
    void setMatrix(const QStringList& classNames, const std::vector<std::vector<int>>& counts);
    int count(int truth, int predicted) const;
    QSize sizeHint() const override { return {360, 360}; }
    // "true 3, predicted 8: 4 (2.0 % of the class)" for the cell at AT (widget pixels); empty
    // outside the matrix. The tooltip's text.
    QString cellDescription(const QPoint& at) const;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    double cellSize() const;
    int rowTotal(int truth) const;
    double rowFraction(int truth, int predicted) const;
    QStringList m_names;
    std::vector<std::vector<int>> m_counts;
    QImage m_heat; // the shading, one pixel a cell, made at the first paint that needs it
};

} // namespace ra::widgets
