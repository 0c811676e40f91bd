#pragma once
// The demo comparison, drawn: the table `radapter demo` prints (zero-shot, full fine-tuning,
// WiSE-FT and R-Adapter, ID and every OOD set) and the paper's figure on the ID-vs-OOD plane:
// the WiSE-FT curve and R-Adapter's alpha curve, the zero-shot and fine-tuned points, and
// R-Adapter at the alpha chosen on ID validation.
// It runs in the Studio's worker (one and a half to three minutes on two cores) and reports its phases.
#include "demo/demorunner.h"
#include "demo/demostory.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace ra::widgets {
class CurvePlot;
}

namespace ra::app {

class DemoComparisonView : public QWidget {
    Q_OBJECT
public:
    explicit DemoComparisonView(QWidget* parent = nullptr);

    void setRunning(bool running);
    void appendLog(const QString& line);
    // ORIGIN says where a result not run just now comes from ("The last comparison, run on …",
    // "From seed-0.json"); empty for the run that has just finished.
    void setResult(const ra::DemoResult& result, const QString& origin = QString());
    // Several seeds' results at once, as the README's table: every cell's mean ± standard
    // deviation, the mean curves and the story on the means. Throws ra::Error for runs of
    // different methods or sets.
    void setSeeds(const std::vector<ra::DemoResult>& runs, const QString& origin);

    QTableWidget* table() const { return m_table; }
    widgets::CurvePlot* plot() const { return m_plot; }
    QPushButton* runButton() const { return m_run; }
    QPushButton* openButton() const { return m_open; }
    // Where the table will be, before any result: what it will show (empty once it shows one).
    QString tableHint() const;
    // The seed the next comparison runs with (crops, prompts, dropping masks, data order): running
    // seeds 0, 1, 2 in turn shows how much of a difference is noise.
    QSpinBox* seedBox() const { return m_seed; }
    qint64 seed() const;
    QString statusText() const; // the line beside the button: the phase, or the result's summary
    // Beside the figure: each claim of the paper's story, checked on the last result (demo/demostory.h).
    QString storyText() const;

Q_SIGNALS:
    void runRequested();
    void openRequested(); // Open Results…: files `radapter demo --json` wrote

private:
    struct Row {
        QString name, alpha;
        QStringList cells;             // ID test, the OOD average, each OOD set
        double id = 0, oodAverage = 0; // its point on the ID-OOD plane
    };
    void display(const DemoMethodResult& first, const QList<Row>& rows, const std::vector<DemoCurvePoint>& wiseFtCurve,
                 const std::vector<DemoCurvePoint>& radapterCurve, const std::vector<StoryClaim>& claims,
                 const QString& storyTitle, const QString& status);

    QPushButton* m_run;
    QPushButton* m_open;
    QSpinBox* m_seed;
    QLabel* m_log;
    QTableWidget* m_table;
    QLabel* m_tableHint;
    QStackedWidget* m_tablePane; // the hint until the first result, then the table
    widgets::CurvePlot* m_plot;
    QLabel* m_story;
};

} // namespace ra::app
