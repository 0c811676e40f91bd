#pragma once
// Which settings mattered, as a table with bars (W&B's parameter-importance panel): one row per
// setting that differs between the runs, most important first — the share of the result's
// variance its values explain (config/parameterimportance.h: omega squared) as a bar from the
// left, and Spearman's correlation with the result as a bar from the middle, to the right where
// the result rises with the setting and to the left where it falls.
#include "config/parameterimportance.h"

#include <QTableWidget>

#include <vector>

namespace ra::widgets {

class ImportanceTable : public QTableWidget {
    Q_OBJECT
public:
    explicit ImportanceTable(QWidget* parent = nullptr);
    // The rows of ROWS, in their order; RUNS: how many runs they come from (the header says it).
    void setImportance(const std::vector<SettingImportance>& rows, int runs);
    // Tests: row I's setting and both values (the correlation NaN where the setting is not a number).
    QString settingAt(int row) const;
    double importanceAt(int row) const;
    double correlationAt(int row) const;
};

} // namespace ra::widgets
