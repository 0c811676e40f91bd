#pragma once
// The embedding map: one evaluation set's image embeddings at two alphas side by side, in one
// frame (the principal plane of both together) or laid out by t-SNE, each point in its true class's colour and a
// cross where the model is wrong, with each class's text embedding — what the head ranks by —
// drawn as its name. What training does to a set's features shows as clusters that stay apart,
// blur into each other or drift away from their class's name. Torch-free: points arrive as plane
// coordinates.
#include <QPointF>
#include <QStringList>
#include <QVector>
#include <QWidget>

class QComboBox;
class QCustomPlot;
class QCPAxisRect;
class QCPTextElement;
class QLabel;

namespace ra::widgets {

class EmbeddingMapView : public QWidget {
    Q_OBJECT
public:
    struct Panel {
        QString title;                  // "zero-shot (α = 0)", "α = 1.2"
        QString caption;                // the panel's numbers, under its title
        QVector<QPointF> points;        // per image
        QVector<int> labels;            // per image: its class
        QVector<int> predictions;       // per image: the model's class
        QVector<QPointF> classes;       // per class: where its name goes (empty: none; not finite: not this one)
        bool namesAbove = false;        // each name's bottom at its point (above a cluster), else centred on it
        QVector<QPair<int, int>> links; // points joined by a line (an image and its caption)
    };
    // How the points were placed: the principal plane of both panels together (one frame,
    // distances kept), or t-SNE (neighbourhoods kept; each panel its own layout).
    enum class Projection { Pca, Tsne };

    explicit EmbeddingMapView(QWidget* parent = nullptr);

    // Draws LEFT and RIGHT with one range for both axes of both, so a point's move between them is
    // the move of its embedding; NOTE goes under the map. CLASSNAMES index the labels; class names
    // are drawn for up to 20 classes (more would hide the points).
    void setPanels(const QStringList& classNames, const Panel& left, const Panel& right, const QString& note);
    // No map, and why (nothing trained yet, being computed, a retrieval run).
    void showMessage(const QString& text);
    // The projection the user chose above the map (projectionChanged when it changes); the panels
    // set are drawn with the axes' names of PROJECTION.
    Projection projection() const;
    QComboBox* projectionBox() const { return m_projection; }
    void setAxesNames(Projection projection);

    QCustomPlot* plot() const { return m_plot; }
    QString message() const;                                          // empty while a map is shown
    int pointCount(int panel) const { return m_points.value(panel); } // drawn points of panel 0 or 1
    int wrongCount(int panel) const { return m_wrong.value(panel); }  // of them, drawn as crosses
    int linkCount(int panel) const { return m_links.value(panel); }   // lines drawn between points
    QString title(int panel) const;                                   // over panel 0 or 1, with its numbers

Q_SIGNALS:
    void projectionChanged();

protected:
    void changeEvent(QEvent* event) override; // a new palette: the map's colours follow it

private:
    void drawPanel(int index, const QStringList& classNames, const Panel& panel);

    QCustomPlot* m_plot;
    QComboBox* m_projection;
    QLabel* m_message;
    QLabel* m_note;
    QCPAxisRect* m_rects[2];
    QCPTextElement* m_titles[2];
    QVector<int> m_points{0, 0};
    QVector<int> m_wrong{0, 0};
    QVector<int> m_links{0, 0};
};

} // namespace ra::widgets
