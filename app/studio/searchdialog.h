#pragma once
// Run ▸ Search…: a hyper-parameter search from the form's settings. Up to three settings, each
// with the values to try ("1e-3, 3e-3, 1e-2"; a seed row repeats every combination) or a range to
// draw from at random ("1e-4 : 1e-2 : log", as `radapter search --range`; the dialog then asks
// how many draws, and whether the later ones are chosen by TPE), and the tag the runs share. The dialog says how many
// runs that is, or why a value cannot run (checked on every combination, as `radapter search` does), and accepts only a
// search that can run.
#include "config/searchgrid.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace ra::widgets {
class WarningLabel;
}

namespace ra::app {

class SearchDialog : public QDialog {
    Q_OBJECT
public:
    static constexpr int kRows = 3;

    // BASE: the form's settings, which every run starts from.
    explicit SearchDialog(const TrainConfig& base, QWidget* parent = nullptr);

    // Row I (0 .. kRows-1): an empty key leaves the row out.
    void setRow(int i, const QString& key, const QString& values);
    void setTag(const QString& tag);
    void setSamples(int draws);
    void setHalving(bool on); // successive halving (SearchSpec::halving)
    void setBayes(bool on);   // later draws chosen by TPE (SearchSpec::bayes)
    // What the rows ask for: the listed values as a grid, the ranges with the draws to take.
    SearchSpec spec() const;
    QString tag() const;
    // The runs the search will train, 0 while it cannot run (problem() says why).
    int runCount() const { return m_runs; }
    QString problem() const;
    QString summary() const; // the runs and, with halving, the steps they cost
    QPushButton* okButton() const;

private:
    void check();

    TrainConfig m_base;
    QComboBox* m_keys[kRows];
    QLineEdit* m_values[kRows];
    QSpinBox* m_samples;
    QCheckBox* m_halving;
    QCheckBox* m_bayes;
    QLineEdit* m_tag;
    QLabel* m_summary;
    widgets::WarningLabel* m_problem;
    QDialogButtonBox* m_buttons;
    int m_runs = 0;
};

} // namespace ra::app
