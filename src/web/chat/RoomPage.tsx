import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useMe } from '../auth/session';
import { hasFinePointer } from '../lib/pointer';
import { writeString } from '../lib/storage';
import { RoomFrame } from '../room/RoomFrame';
import { usePauseRoom } from '../room/room-actions';
import { useMarkRead, useRooms } from '../rooms/rooms-data';
import { PageHeader } from '../shell/PageHeader';
import { Composer } from './Composer';
import { ConnectionIndicator } from './ConnectionIndicator';
import { RoomTranscript } from './RoomTranscript';
import { useRoomTimeline } from './use-room-timeline';
import { useTimeline } from './live-room';
import type { Timeline } from '../timeline/timeline-types';
import { RoomWhiteboardPanel, useRoomHasWhiteboard } from '../whiteboard/RoomWhiteboardPanel';

const ROOM_ID = /^[1-9]\d{0,9}$/;
const selectMemberStatus = (t: Timeline) => t.memberStatus;

/** `/rooms/:roomId`. Each room gets its own page instance, so nothing of one room leaks into the next. */
export function RoomRoute() {
  const { roomId = '' } = useParams();
  if (!ROOM_ID.test(roomId)) return <RoomUnavailable />;
  return <RoomPage key={roomId} roomId={Number(roomId)} />;
}

function RoomUnavailable() {
  const { t } = useTranslation('chat');
  return (
    <>
      <PageHeader title={t('unavailable.title')} />
      <div className="m-auto max-w-sm p-6 text-center">
        <p className="text-text-muted">{t('unavailable.body')}</p>
        <Link to="/" className="mt-3 inline-block font-medium text-accent hover:underline">
          {t('common:actions.goHome')}
        </Link>
      </div>
    </>
  );
}

/** The chat room (ui.md §4.4): header with the room's chips, the transcript and the composer. */
function RoomPage({ roomId }: { roomId: number }) {
  const { t } = useTranslation('chat');
  const me = useMe();
  const rooms = useRooms(me !== undefined);
  const room = rooms.data?.find((r) => r.id === roomId);
  const timeline = useRoomTimeline(roomId, me?.user_id);
  // The unread divider uses the read time from before this visit marks the room read (§3.8).
  const lastReadAt = useRef<string | null | undefined>(undefined);
  if (lastReadAt.current === undefined && room) lastReadAt.current = room.last_read_at;
  const markRead = useMarkRead();
  const pause = usePauseRoom(roomId);
  const finePointer = hasFinePointer();

  // `/` reopens the last room (P8).
  useEffect(() => {
    if (me && timeline.status === 'ready') writeString(`lastRoom.${me.user_id}`, String(roomId));
  }, [me, roomId, timeline.status]);

  // The open room is marked read when it opens and when the list says it has unread messages while it is shown
  // (§3.8; the stream will narrow this to finished messages seen at the bottom).
  const hasUnread = room?.has_unread === true;
  const { mutate: markRoomRead } = markRead;
  useEffect(() => {
    if (hasUnread && document.visibilityState === 'visible') markRoomRead(roomId);
  }, [hasUnread, markRoomRead, roomId]);

  // Tab title (§3.8): `(N) <room> · ChitChats`, N = the other rooms with unread messages.
  const title = timeline.room?.name ?? room?.name ?? (timeline.status === 'ready' ? t('untitled', { id: roomId }) : '');
  const unreadElsewhere = rooms.data?.filter((r) => r.id !== roomId && r.has_unread).length ?? 0;
  useEffect(() => {
    document.title = `${unreadElsewhere > 0 ? `(${unreadElsewhere}) ` : ''}${title ? `${title} · ` : ''}ChitChats`;
  }, [title, unreadElsewhere]);

  // The agent panel's live part (§4.5, §4.10): what each member is doing, and the Whiteboard tab once there is one.
  const memberStatus = useTimeline(roomId, selectMemberStatus);
  const hasWhiteboard = useRoomHasWhiteboard(roomId);
  const panel = useMemo(
    () => ({
      statusFor: (agentId: number) => memberStatus[agentId]?.activity ?? 'idle',
      statusDetailFor: (agentId: number) => memberStatus[agentId]?.error ?? undefined,
      live: timeline.replying,
      whiteboard: hasWhiteboard ? <RoomWhiteboardPanel roomId={roomId} /> : undefined,
    }),
    [memberStatus, timeline.replying, hasWhiteboard, roomId],
  );

  if (timeline.status === 'unavailable') return <RoomUnavailable />;

  return (
    <RoomFrame
      room={room}
      title={title}
      focusTitle={!finePointer}
      indicator={<ConnectionIndicator state={timeline.connection} onRetryNow={timeline.retryNow} />}
      panel={panel}
    >
      <RoomTranscript
        chat={timeline}
        canAct={me?.role === 'admin' || (room !== undefined && room.owner_id === me?.user_id)}
        lastReadAt={lastReadAt.current ?? null}
        createdAt={room?.created_at ?? timeline.room?.created_at ?? null}
      />
      <Composer
        roomId={roomId}
        members={timeline.room?.agents ?? []}
        onSend={timeline.sendMessage}
        replying={timeline.replying}
        onStop={() => pause.mutate(true)}
        editText={timeline.editText}
        autoFocus={finePointer}
      />
    </RoomFrame>
  );
}
