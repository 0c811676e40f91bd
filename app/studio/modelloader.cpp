#include "studio/modelloader.h"

#include "clip/clipencoder.h"
#include "util/error.h"

#include <QPointer>
#include <QThread>

#include <utility>

namespace ra::app {

ModelLoader::ModelLoader(QObject* parent) : QObject(parent) { qRegisterMetaType<ModelSummary>(); }

ModelLoader::~ModelLoader()
{
    if (m_thread) m_thread->wait();
}

void ModelLoader::load(const QString& path)
{
    if (m_busy) { // one load at a time; the latest request waits and is never dropped
        m_queued = path;
        return;
    }
    m_busy = true;
    QPointer<ModelLoader> self(this);
    m_thread = QThread::create([self, path]() {
        // No exception may leave the thread: everything becomes a signal.
        ModelSummary summary;
        QString error;
        try {
            const ModelDescription model = ClipEncoder::describe(path.toStdString());
            summary.path = path;
            summary.layout = QString::fromStdString(model.layout);
            summary.config = model.config;
        } catch (const std::exception& e) {
            error = QString::fromStdString(ra::userMessage(e));
        }
        QMetaObject::invokeMethod(
            self.data(),
            [self, summary, error]() {
                if (!self) return;
                self->m_busy = false;
                if (error.isEmpty()) Q_EMIT self->loaded(summary);
                else Q_EMIT self->failed(error);
                if (!self->m_queued.isEmpty()) self->load(std::exchange(self->m_queued, QString()));
            },
            Qt::QueuedConnection);
    });
    QThread* thread = m_thread;
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(thread, &QThread::destroyed, this, [this, thread]() {
        if (m_thread == thread) m_thread = nullptr;
    });
    thread->start();
}

} // namespace ra::app
