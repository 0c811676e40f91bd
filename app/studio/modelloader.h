#pragma once
// Describes a CLIP checkpoint off the GUI thread (ClipEncoder::describe: shapes, not weights,
// where the layout allows) and reports a small value type back.
#include "clip/clipconfig.h"

#include <QObject>
#include <QString>

namespace ra::app {

struct ModelSummary {
    QString path;
    QString layout;
    ClipConfig config;
};

class ModelLoader : public QObject {
    Q_OBJECT
public:
    explicit ModelLoader(QObject* parent = nullptr);
    ~ModelLoader() override;
    // Starts loading PATH in a worker thread; emits loaded or failed on the GUI thread.
    void load(const QString& path);
    bool isBusy() const { return m_busy; }

Q_SIGNALS:
    void loaded(const ra::app::ModelSummary& summary);
    void failed(const QString& message);

private:
    QThread* m_thread = nullptr;
    bool m_busy = false;
    QString m_queued; // the request that arrived while busy
};

} // namespace ra::app

Q_DECLARE_METATYPE(ra::app::ModelSummary)
