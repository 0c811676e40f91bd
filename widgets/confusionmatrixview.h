#pragma once
// A confusion matrix drawn as a heat map: rows are true classes, columns predictions; each cell
// shows its count, shaded by the row's fraction.
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

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QStringList m_names;
    std::vector<std::vector<int>> m_counts;
};

} // namespace ra::widgets
