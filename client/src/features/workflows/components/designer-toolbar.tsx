import { ActionIcon, Badge, Group, Loader, Tooltip } from '@mantine/core';
import { IconArrowBackUp, IconArrowForwardUp, IconFocusCentered, IconLayoutDistributeVertical } from '@tabler/icons-react';

interface DesignerToolbarProps {
  readOnly: boolean;
  canUndo: boolean;
  canRedo: boolean;
  ready: boolean;
  arranging: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onArrange: () => void;
  onZoomToFit: () => void;
  validation: { checking: boolean; problemCount: number; error: boolean };
}

export function DesignerToolbar({ readOnly, canUndo, canRedo, ready, arranging, onUndo, onRedo, onArrange, onZoomToFit, validation }: DesignerToolbarProps) {
  const { checking, problemCount, error } = validation;
  return (
    <Group gap={4} wrap="nowrap" data-testid="designer-toolbar">
      <Badge
        variant="light"
        color={error ? 'gray' : problemCount > 0 ? 'red' : checking ? 'gray' : 'teal'}
        leftSection={checking ? <Loader size={10} color="gray" /> : null}
        data-testid="validation-status"
        data-state={checking ? 'checking' : error ? 'unknown' : problemCount > 0 ? 'invalid' : 'valid'}
        mr="xs"
      >
        {error ? 'Not checked' : problemCount > 0 ? `${problemCount} ${problemCount === 1 ? 'problem' : 'problems'}` : checking ? 'Checking' : 'Valid'}
      </Badge>
      {!readOnly ? (
        <>
          <Tooltip label="Undo (Ctrl+Z)" withArrow>
            <ActionIcon variant="default" aria-label="Undo" disabled={!ready || !canUndo} onClick={onUndo} data-testid="designer-undo">
              <IconArrowBackUp size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Redo (Ctrl+Shift+Z)" withArrow>
            <ActionIcon variant="default" aria-label="Redo" disabled={!ready || !canRedo} onClick={onRedo} data-testid="designer-redo">
              <IconArrowForwardUp size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Arrange automatically" withArrow>
            <ActionIcon variant="default" aria-label="Arrange automatically" disabled={!ready} loading={arranging} onClick={onArrange} data-testid="designer-arrange">
              <IconLayoutDistributeVertical size={16} />
            </ActionIcon>
          </Tooltip>
        </>
      ) : null}
      <Tooltip label="Zoom to fit" withArrow>
        <ActionIcon variant="default" aria-label="Zoom to fit" disabled={!ready} onClick={onZoomToFit} data-testid="designer-zoom-fit">
          <IconFocusCentered size={16} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
